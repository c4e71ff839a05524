package io.kubemu.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubemu.kubelet.runtime.docker.LocalImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The workload the Docker end-to-end tests run: a Deployment {@code web} of three busybox-httpd
 * replicas (the image kubemu makes itself, no registry needed) whose readiness is an HTTP probe,
 * each answering with its pod's name, and the HTTP GET a test sends from this machine.
 */
final class WebDeployment {
  static final String YAML = String.join("\n",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web}",
      "spec:",
      "  replicas: 3",
      "  selector: {matchLabels: {app: web}}",
      "  template:",
      "    metadata: {labels: {app: web}}",
      "    spec:",
      "      containers:",
      "      - name: httpd",
      "        image: " + LocalImages.BUSYBOX,
      // Each pod answers with its own name (its hostname), so a test sees which pod a Service picked.
      "        command: [sh, -c, 'hostname > /www/index.html && exec httpd -f -p 80 -h /www']",
      "        ports: [{containerPort: 80}]",
      // The kubelet probes the pod's IP: it must reach the pods' network (from its container, under compose).
      "        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}",
      "");

  private WebDeployment() {}

  /** What a pod of the Deployment answers a GET with. */
  static String answer(Pod pod) {
    return "200 " + pod.getMetadata().getName() + "\n";
  }

  /** GET {@code url}: "status body". */
  static String get(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
