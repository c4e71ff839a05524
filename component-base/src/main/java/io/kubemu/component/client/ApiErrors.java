package io.kubemu.component.client;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.CompletionException;

/** Failed requests to the apiserver, said in one line for a log. */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * The apiserver's own message ({@code Operation cannot be fulfilled on ...}) rather than the
   * client's request dump; other failures by their message. A request that failed on its way
   * (a future's {@link CompletionException}) by its cause.
   */
  public static String message(Throwable failure) {
    Throwable error = cause(failure);
    if (error instanceof KubernetesClientException e && e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return error.getMessage() != null ? error.getMessage() : error.toString();
  }

  /** What a request failed of: a future's {@link CompletionException} unwrapped, anything else as it is. */
  public static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
