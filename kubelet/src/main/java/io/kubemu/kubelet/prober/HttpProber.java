package io.kubemu.kubelet.prober;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The kubelet's httpGet probe: a GET of the URL within the timeout, with the probe's headers and
 * the kubelet's User-Agent; a status from 200 to 399 is success (redirects are followed), anything
 * else, or no answer in time, is failure, with Kubernetes' messages.
 */
final class HttpProber {
  static final String USER_AGENT = "kube-probe/1.33";

  private HttpProber() {}

  static ProbeResult probe(URI url, Map<String, String> headers, Duration timeout) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) url.toURL().openConnection();
      connection.setConnectTimeout((int) timeout.toMillis());
      connection.setReadTimeout((int) timeout.toMillis());
      connection.setInstanceFollowRedirects(true);
      connection.setRequestProperty("User-Agent", USER_AGENT);
      connection.setRequestProperty("Accept", "*/*");
      headers.forEach(connection::setRequestProperty);
      int code = connection.getResponseCode();
      String body = body(connection, code);
      if (code >= 200 && code < 400) {
        return ProbeResult.success(body);
      }
      return ProbeResult.failure("HTTP probe failed with statuscode: " + code);
    } catch (SocketTimeoutException e) {
      return ProbeResult.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting "
          + "headers)");
    } catch (IOException | IllegalArgumentException e) {
      return ProbeResult.failure("Get \"" + url + "\": " + e.getMessage());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** The start of the answer (at most 10 KiB, as the kubelet reads). */
  private static String body(HttpURLConnection connection, int code) throws IOException {
    try (InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      return in == null ? "" : new String(in.readNBytes(10 * 1024), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
