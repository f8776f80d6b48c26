package dev.inlay.runtime;

import dev.inlay.model.JdkLinkList;
import dev.inlay.model.LayerLayout;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The symbolic links under this JVM's JDK home as {@code inlay wrap} found them in the image ({@value #FILE} next to
 * the agent jar, {@link JdkLinkList}), handed to the roots so that the home is not walked before main() to find the
 * links out of it (docs/POLICY.md, "Roots"). Read before the checks are installed: its own reads are not checked.
 */
final class JdkLinkFile {
    static final String FILE = LayerLayout.JDK_LINKS;

    private JdkLinkFile() {}

    /**
     * The links of this JVM's JDK, or null when there is no file, no section for this JDK ({@code java.home} and
     * {@code release} as recorded) or the file cannot be read: the home is then walked, as on a JVM not wrapped.
     */
    static String[] load(File agentJar) {
        File dir = agentJar.getAbsoluteFile().getParentFile();
        if (dir == null) return null;
        File file = new File(dir, FILE);
        if (!file.isFile()) return null;
        String home = System.getProperty("java.home");
        if (home == null) return null;
        byte[] links = read(file, JdkLinkList.MAX_BYTES);
        byte[] release = links == null ? null : read(new File(home, "release"), 1 << 20);
        return JdkLinkList.links(links, home, release);
    }

    private static byte[] read(File file, int max) {
        try (InputStream in = new FileInputStream(file)) {
            byte[] bytes = in.readNBytes(max);
            return in.read() < 0 ? bytes : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
