package dev.inlay.agent;

import dev.inlay.model.AgentSettings;
import dev.inlay.model.LayerLayout;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The implementation could not even be loaded (a damaged jar): the decision {@code AgentBoot} takes once it runs,
 * taken here without it. An application that was to be enforced does not run unchecked unless told to fail open;
 * else it runs on. Loaded only then.
 *
 * <p>Uses the model's constants only (compiled in): the model's classes are packed with the implementation.
 */
final class FailClosed {
    /** EX_SOFTWARE, as the implementation's own refusal to start ({@code AgentInstaller.EXIT_AGENT_FAILED}). */
    static final int EXIT_AGENT_FAILED = 70;

    private FailClosed() {}

    static void agentFailed(String args, File jar, Throwable problem) {
        if (enforcing(args, jar)) {
            System.err.println("inlay: the agent failed to start: " + problem);
            System.err.println("inlay: refusing to run the application unchecked in enforce mode (set failOpen=true"
                    + " or INLAY_FAIL_OPEN=true to run it unprotected)");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_AGENT_FAILED);
        }
        System.err.println("inlay: agent not started: " + problem);
    }

    /**
     * Whether the configuration asks for enforcement and not for failing open, read from the sources and in the order
     * the implementation reads them (inlay.properties next to the jar, then the agent arguments, then INLAY_*
     * variables); without a mode, a policy means enforce (the policy may say so). Only for a jar too damaged to load
     * the implementation's own reader.
     */
    static boolean enforcing(String args, File jar) {
        Properties values = new Properties();
        File properties = jar == null ? null : new File(jar.getParentFile(), LayerLayout.SETTINGS);
        if (properties != null && properties.isFile()) {
            try (InputStream in = new FileInputStream(properties)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return true; // unreadable: as the implementation counts an unreadable configuration
            }
        }
        if (args != null) {
            for (String pair : args.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0)
                    values.setProperty(
                            pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        String[][] variables = {
            {AgentSettings.MODE, AgentSettings.ENV_MODE},
            {AgentSettings.POLICY, AgentSettings.ENV_POLICY},
            {AgentSettings.FAIL_OPEN, AgentSettings.ENV_FAIL_OPEN}
        };
        for (String[] variable : variables) {
            String value = System.getenv(variable[1]);
            if (value != null && !value.isEmpty()) values.setProperty(variable[0], value.trim());
        }
        String mode = values.getProperty(AgentSettings.MODE);
        String base64 = System.getenv(AgentSettings.ENV_POLICY_BASE64);
        boolean policy = values.getProperty(AgentSettings.POLICY) != null || (base64 != null && !base64.isBlank());
        return ("enforce".equals(mode) || (mode == null && policy))
                && !"true".equalsIgnoreCase(values.getProperty(AgentSettings.FAIL_OPEN));
    }
}
