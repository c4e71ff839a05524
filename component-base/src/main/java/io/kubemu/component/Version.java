package io.kubemu.component;

import picocli.CommandLine;

/** The kubemu release every component reports, and the Kubernetes version it emulates. */
public final class Version implements CommandLine.IVersionProvider {
  public static final String VERSION = "0.1.0";
  /** The Kubernetes release whose API and behaviour kubemu follows. */
  public static final String KUBERNETES = "v1.33.0";

  @Override
  public String[] getVersion() {
    return new String[] {"kubemu " + VERSION + " (Kubernetes " + KUBERNETES + ")"};
  }
}
