package io.kubemu.controllermanager.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Map;

/** Deployments and ReplicaSets for the unit tests, with only what the logic reads. */
final class Fixtures {
  private Fixtures() {}

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec().build();
  }

  static Deployment rolling(int replicas, Object maxSurge, Object maxUnavailable) {
    return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").withGeneration(1L)
        .endMetadata()
        .withNewSpec().withReplicas(replicas).withProgressDeadlineSeconds(600)
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withTemplate(template("nginx:1.25"))
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString(maxSurge)).withMaxUnavailable(new IntOrString(maxUnavailable))
        .endRollingUpdate().endStrategy()
        .endSpec().build();
  }

  static Deployment recreate(int replicas) {
    return new DeploymentBuilder(rolling(replicas, 0, 0)).editSpec().withNewStrategy().withType("Recreate")
        .endStrategy().endSpec().build();
  }

  static ReplicaSet replicaSet(String name, int replicas, int available, String created, Map<String, String> annotations) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name + "-uid")
        .withCreationTimestamp(created).withAnnotations(annotations).endMetadata()
        .withNewSpec().withReplicas(replicas).withTemplate(template(name)).endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available)
        .endStatus().build();
  }
}
