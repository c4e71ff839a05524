package io.kubemu.controllermanager.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubemu.component.workqueue.WorkQueue;
import io.kubemu.component.workqueue.Workers;
import io.kubemu.controllermanager.Controller;
import io.kubemu.controllermanager.ControllerContext;
import java.util.List;

/**
 * Kubernetes' ServiceAccountsController: every active namespace has the {@code default}
 * ServiceAccount, which pods run as unless they name another. A new namespace gets one; a
 * deleted one comes back. Keys are namespace names.
 */
public final class ServiceAccountsController implements Controller {
  /** The ServiceAccounts every namespace has. */
  static final List<String> SERVICE_ACCOUNTS_TO_ENSURE = List.of("default");

  private final KubernetesClient client;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ServiceAccount> serviceAccounts;
  private final WorkQueue<String> queue = new WorkQueue<>("serviceaccount");
  private final Workers<String> workers = new Workers<>(queue, 1, this::syncNamespace);

  public ServiceAccountsController(ControllerContext context) {
    this.client = context.client();
    this.namespaces = context.informers().informerFor(Namespace.class);
    this.serviceAccounts = context.informers().informerFor(ServiceAccount.class);
    namespaces.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace namespace) {
        queue.add(namespace.getMetadata().getName());
      }

      @Override
      public void onUpdate(Namespace old, Namespace namespace) {
        queue.add(namespace.getMetadata().getName());
      }

      @Override
      public void onDelete(Namespace namespace, boolean finalStateUnknown) {}
    });
    serviceAccounts.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ServiceAccount serviceAccount) {}

      @Override
      public void onUpdate(ServiceAccount old, ServiceAccount serviceAccount) {}

      @Override
      public void onDelete(ServiceAccount serviceAccount, boolean finalStateUnknown) {
        if (SERVICE_ACCOUNTS_TO_ENSURE.contains(serviceAccount.getMetadata().getName())) {
          queue.add(serviceAccount.getMetadata().getNamespace());
        }
      }
    });
  }

  @Override
  public void run() {
    workers.start();
  }

  /** Creates the ServiceAccounts an active namespace lacks. */
  void syncNamespace(String name) {
    Namespace namespace = namespaces.getIndexer().getByKey(name);
    if (namespace == null || namespace.getStatus() == null || !"Active".equals(namespace.getStatus().getPhase())) {
      return; // gone or terminating: nothing is created in it any more
    }
    for (String serviceAccount : SERVICE_ACCOUNTS_TO_ENSURE) {
      if (serviceAccounts.getIndexer().getByKey(name + "/" + serviceAccount) != null) {
        continue;
      }
      try {
        client.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder()
            .withNewMetadata().withName(serviceAccount).withNamespace(name).endMetadata().build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && !isNamespaceTerminating(e)) {
          throw e;
        }
      }
    }
  }

  /** The apiserver refuses new content in a terminating namespace; that is no failure here. */
  private static boolean isNamespaceTerminating(KubernetesClientException e) {
    if (e.getStatus() == null || e.getStatus().getDetails() == null) {
      return false;
    }
    List<StatusCause> causes = e.getStatus().getDetails().getCauses();
    return causes != null && causes.stream().anyMatch(cause -> "NamespaceTerminating".equals(cause.getReason()));
  }

  @Override
  public void close() {
    workers.close();
  }
}
