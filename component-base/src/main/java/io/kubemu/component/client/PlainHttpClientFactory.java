package io.kubemu.component.client;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The fabric8 client's Vert.x transport for an apiserver served over plain HTTP, as kubemu's is
 * unless a kubeconfig says otherwise: no TLS at all.
 *
 * <p>fabric8 gives every client an SSL context, whatever the URL's scheme, and its Vert.x
 * transport then builds Netty's TLS stack around it and warms it up, reading the JDK's trusted
 * certificates on the way: some 450 classes and their memory in each component, for connections
 * that never use them. This transport never makes the context; the clients derived from it
 * (fabric8 derives one per watch) share its connections, and have none either.
 */
final class PlainHttpClientFactory extends Vertx5HttpClientFactory {
  @Override
  public Vertx5HttpClientBuilder<Vertx5HttpClientFactory> newBuilder() {
    return new PlainBuilder(this);
  }

  private static final class PlainBuilder extends Vertx5HttpClientBuilder<Vertx5HttpClientFactory> {
    PlainBuilder(Vertx5HttpClientFactory factory) {
      super(factory, null); // a Vert.x of its own, closed with the client, as fabric8's default
    }

    /** No SSL context: the one fabric8 asks for is never made. */
    @Override
    public Vertx5HttpClientBuilder<Vertx5HttpClientFactory> sslContext(KeyManager[] keyManagers,
        TrustManager[] trustManagers) {
      return this;
    }
  }
}
