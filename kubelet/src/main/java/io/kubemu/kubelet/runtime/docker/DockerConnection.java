package io.kubemu.kubelet.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A connection to one Docker Engine: docker-java's client for the API, and its HTTP transport for
 * the one call the client gets wrong (importing an image from a tar stream).
 */
public record DockerConnection(DockerClient client, DockerHttpClient http) implements AutoCloseable {
  /**
   * Connects to {@code dockerHost} (unix:///var/run/docker.sock, tcp://host:2375); nothing is sent yet.
   * A call waits for its answer as long as it takes: log streams that follow a quiet container idle.
   */
  public static DockerConnection connect(String dockerHost) {
    return connect(dockerHost, null);
  }

  /**
   * Like {@link #connect(String)}, but a call whose answer stops coming for {@code responseTimeout}
   * fails instead of waiting on an engine that no longer answers (for callers that stream nothing).
   */
  public static DockerConnection connect(String dockerHost, Duration responseTimeout) {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost)
        .build();
    // docker-java's transport makes its TLS strategy up front, whatever the host's scheme: given no SSL
    // context, from the JDK's default one, which loads the JDK's TLS stack and parses every certificate
    // it trusts. A unix socket or named pipe gets one that is never used instead. Not a tcp:// host:
    // for it, any context at all means HTTPS.
    SSLConfig ssl = config.getSSLConfig();
    if (ssl == null && !"tcp".equals(config.getDockerHost().getScheme())) {
      ssl = WithoutTls::new;
    }
    ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
        .sslConfig(ssl).maxConnections(64).connectionTimeout(Duration.ofSeconds(5));
    if (responseTimeout != null) {
      builder.responseTimeout(responseTimeout);
    }
    DockerHttpClient http = builder.build();
    return new DockerConnection(DockerClientImpl.getInstance(config, http), http);
  }

  /**
   * Docker's image import (POST /images/create?fromSrc=-, what {@code docker import} does): the
   * root file system {@code tar} becomes the image {@code repository:tag}, with Dockerfile
   * {@code changes} such as {@code ENTRYPOINT ["/pause"]}.
   */
  public void importImage(String repository, String tag, List<String> changes, byte[] tar) {
    StringBuilder path = new StringBuilder("/images/create?fromSrc=-&repo=")
        .append(URLEncoder.encode(repository, StandardCharsets.UTF_8)).append("&tag=")
        .append(URLEncoder.encode(tag, StandardCharsets.UTF_8));
    for (String change : changes) {
      path.append("&changes=").append(URLEncoder.encode(change, StandardCharsets.UTF_8));
    }
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
        .path(path.toString()).putHeader("Content-Type", "application/x-tar").body(new ByteArrayInputStream(tar))
        .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() != 200 || body.contains("\"error")) {
        throw new IllegalStateException("Docker did not import " + repository + ":" + tag + ": " + body.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the engine has a network of that name (the API's name filter also matches parts of names). */
  public boolean hasNetwork(String name) {
    return client.listNetworksCmd().withNameFilter(name).exec().stream()
        .anyMatch(network -> network.getName().equals(name));
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
