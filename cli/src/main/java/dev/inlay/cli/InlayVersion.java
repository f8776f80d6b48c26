package dev.inlay.cli;

import picocli.CommandLine;

/** The version from the jar manifest, so that there is one source of truth: the Maven project version. */
public final class InlayVersion implements CommandLine.IVersionProvider {
    public static String version() {
        String v = Inlay.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"inlay " + version()};
    }
}
