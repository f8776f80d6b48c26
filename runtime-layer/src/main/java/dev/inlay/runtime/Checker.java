package dev.inlay.runtime;

import dev.inlay.bootstrap.Checks;
import dev.inlay.bootstrap.Inlay;
import dev.inlay.model.Behavior;
import dev.inlay.model.Component;
import dev.inlay.model.Endpoint;
import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.engine.Decision;

import java.io.File;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one checker behind {@link Checks}: turns each hooked operation into a behavior with a canonical resource, then
 * records it (learn) or asks the policy engine (monitor, enforce), reports non-allow decisions and throws
 * {@link SecurityException} for a denial. Its own failures are counted and reported; in enforce mode a failure to
 * decide denies unless failOpen.
 */
final class Checker implements Checks {
    static final int KILL_EXIT_CODE = 137;
    private static final Operation[] OPERATIONS = Operation.values();
    /**
     * Loaded with the checker: every decision passes a Component (null under an unscoped policy, so the interpreter
     * never loads the class); left unloaded, the first compiled decision would trap, deoptimize and load it on an
     * application thread in the middle of its work.
     */
    private static final Class<Component> COMPONENT = Component.class;

    private static final int MAX_RESOURCE = 2048;

    private final PolicyState policy;
    private final BehaviorRecorder recorder;
    private final Reporter reporter;
    private final Baseline baseline;
    private final ClassLoader ownLoader;
    private final String agentJar;
    private final String agentJarName;
    private final String agentJarCanonical;
    private final boolean failOpen;
    /** Whether the JVM baseline applies (jvmBaseline=false turns it off). */
    private final boolean jvmBaseline;

    private final AtomicLong failures = new AtomicLong();
    /** The candidate policy evaluated beside the one in force; null when none is set (one field read per check). */
    private final ShadowPolicy shadow;

    private final StartupPhase startup;
    /**
     * Which component asked: for every recorded behavior, every event, and decisions a component-scoped rule may make.
     * Made at the first attribution, so that a JVM that never needs one loads none of its classes.
     */
    private volatile Attribution attribution;

    private final String componentMap;

    /**
     * @param agentJar the agent jar, which any thread may read: it is on the boot class path, so the JDK opens it
     *                 for an application's resource lookups (ServiceLoader, log4j's configuration search), and a
     *                 policy need not know where the agent lives
     */
    Checker(
            PolicyState policy,
            BehaviorRecorder recorder,
            Reporter reporter,
            Baseline baseline,
            boolean failOpen,
            String agentJar,
            boolean jvmBaseline) {
        this(
                policy,
                recorder,
                reporter,
                baseline,
                failOpen,
                agentJar,
                jvmBaseline,
                null,
                new StartupPhase(System.nanoTime(), 0, false),
                null);
    }

    /**
     * @param shadow  a candidate policy to evaluate beside the one in force, or null
     * @param startup when the application is starting, and whether start-up denials are enforced
     * @param componentMap the image's component map (docs/COVERAGE.md, "Attribution"), or null: jars named by path
     */
    Checker(
            PolicyState policy,
            BehaviorRecorder recorder,
            Reporter reporter,
            Baseline baseline,
            boolean failOpen,
            String agentJar,
            boolean jvmBaseline,
            ShadowPolicy shadow,
            StartupPhase startup,
            String componentMap) {
        this.shadow = shadow;
        this.startup = startup;
        this.jvmBaseline = jvmBaseline;
        this.agentJar = agentJar;
        File jar = new File(agentJar);
        this.agentJarName = "/" + jar.getName();
        String canonical;
        try {
            canonical = jar.getCanonicalPath();
        } catch (IOException e) {
            canonical = agentJar;
        }
        this.agentJarCanonical = canonical;
        this.policy = policy;
        this.recorder = recorder;
        this.reporter = reporter;
        this.baseline = baseline;
        this.ownLoader = Checker.class.getClassLoader();
        this.failOpen = failOpen;
        this.componentMap = componentMap;
    }

    long failures() {
        return failures.get();
    }

    /**
     * Puts these checks live in the bridge. Here rather than in the installer, so that the installer's code never
     * hands a Checker over as the bridge's Checks: verifying that would load Checks before the bridge exists.
     */
    void install() {
        Inlay.install(this);
    }

    // ---- files

    @Override
    public void file(int operation, String path) {
        try {
            Operation op = OPERATIONS[operation];
            String p = absolute(path);
            if (op == Operation.READ && isAgentJar(p)) return;
            PolicyState.Active active = policy.active();
            Component who = fileWho(active, op, p);
            Decision decision = deciding(active) ? active.engine().file(op, p, who) : null;
            if (shadow != null && decision != null) shadowFile(op, p, active, decision, who);
            if (allowed(decision) || jvmOwn(op, p, decision)) return;
            check(named(new Behavior("file", op.wireName(), p), who), active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("file", path, t);
        }
    }

    /**
     * The JVM baseline (docs/POLICY.md): a read or listing of one of the JDK's own files, made by the JDK itself, that
     * no rule of the policy decided (a rule, above all a deny, always wins), is allowed and never recorded.
     */
    private boolean jvmOwn(Operation op, String path, Decision decision) {
        if (!jvmBaseline || (op != Operation.READ && op != Operation.LIST)) return false;
        if (decision != null && !decision.byDefault()) return false;
        return JvmBaselineHolder.PATHS.file(path) && Frames.jdkOwn();
    }

    /** As {@link #jvmOwn}, for the JDK's own native libraries under its home. */
    private boolean jvmOwnLoad(String path, Decision decision) {
        if (!jvmBaseline || path.isEmpty() || path.charAt(0) != '/') return false;
        if (decision != null && !decision.byDefault()) return false;
        return JvmBaselineHolder.PATHS.nativeLibrary(path) && Frames.jdkOwnLoad();
    }

    /**
     * Made at the first file operation that needs it (often the JDK's own, before main()), with this JVM's roots: plain
     * prefixes, not a policy engine, which learn mode does not otherwise build.
     */
    private static final class JvmBaselineHolder {
        static final dev.inlay.policy.JvmBaseline.Paths PATHS = dev.inlay.policy.JvmBaseline.Paths.current();
    }

    /** The agent jar, under its canonical path or another one (a symbolic link; the class path names it as given). */
    private boolean isAgentJar(String path) {
        if (!path.endsWith(agentJarName)) return false; // the one test every other read pays
        if (path.equals(agentJar)) return true;
        try {
            return new File(path).getCanonicalPath().equals(agentJarCanonical);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String absolute(String path) {
        // Absolute paths (nearly all) are normalized lexically without allocating when already normal.
        if (!path.isEmpty() && path.charAt(0) == '/') return dev.inlay.policy.engine.Paths.normalize(path);
        if (path.isEmpty()) path = ".";
        try {
            return Path.of(path).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return new File(path).getAbsolutePath();
        }
    }

    // ---- network and DNS

    @Override
    public void connect(boolean udp, SocketAddress remote) {
        try {
            InetSocketAddress isa = (InetSocketAddress) remote;
            InetAddress address = isa.getAddress();
            String host = isa.getHostString();
            String literal = address == null ? null : address.getHostAddress();
            if (host != null && host.equals(literal)) host = null;
            if (address instanceof Inet6Address && literal != null && literal.indexOf('%') > 0) {
                literal = literal.substring(0, literal.indexOf('%'));
            }
            Behavior b = Behavior.network(
                    Operation.CONNECT.wireName(), udp ? Endpoint.UDP : Endpoint.TCP, host, literal, isa.getPort());
            PolicyState.Active active = policy.active();
            Component who = who(active, Category.NETWORK);
            named(b, who);
            Decision decision = deciding(active)
                    ? active.engine().network(Operation.CONNECT, udp, host, address, isa.getPort(), who)
                    : null;
            if (shadow != null && decision != null) {
                try {
                    shadow(
                            b,
                            active,
                            decision,
                            shadow.engine()
                                    .network(
                                            Operation.CONNECT,
                                            udp,
                                            host,
                                            address,
                                            isa.getPort(),
                                            shadowWho(active, Category.NETWORK, who)));
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            check(b, active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("network", String.valueOf(remote), t);
        }
    }

    @Override
    public void listen(boolean udp, int port) {
        local(Operation.LISTEN, udp, port);
    }

    @Override
    public void accept(int localPort) {
        startup.serving(); // the application serves: what it is denied from now on is not start-up
        local(Operation.ACCEPT, false, localPort);
    }

    private void local(Operation op, boolean udp, int port) {
        try {
            Behavior b = Behavior.network(op.wireName(), udp ? Endpoint.UDP : Endpoint.TCP, null, null, port);
            PolicyState.Active active = policy.active();
            Component who = who(active, Category.NETWORK);
            named(b, who);
            Decision decision = deciding(active) ? active.engine().network(op, udp, null, null, port, who) : null;
            if (shadow != null && decision != null) {
                try {
                    shadow(
                            b,
                            active,
                            decision,
                            shadow.engine()
                                    .network(op, udp, null, null, port, shadowWho(active, Category.NETWORK, who)));
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            check(b, active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("network", op.wireName() + " " + port, t);
        }
    }

    @Override
    public void resolve(String host) {
        try {
            String name = host.toLowerCase(Locale.ROOT);
            if (name.endsWith(".") && name.length() > 1) name = name.substring(0, name.length() - 1);
            PolicyState.Active active = policy.active();
            Component who = who(active, Category.DNS);
            Decision decision = deciding(active) ? active.engine().dns(name, who) : null;
            if (shadow != null && decision != null) {
                try {
                    Decision candidate = shadow.engine().dns(name, shadowWho(active, Category.DNS, who));
                    if (shadowAllows(candidate)) shadow.hit(candidate);
                    else shadow(named(new Behavior("dns", "resolve", name), who), active, decision, candidate);
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            if (allowed(decision)) return;
            check(named(new Behavior("dns", "resolve", name), who), active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("dns", host, t);
        }
    }

    // ---- processes and drift

    @Override
    public void exec(String[] command, String directory, Map<String, String> environment) {
        try {
            String executable = resolveExecutable(command[0], directory, environment);
            List<String> args = Arrays.asList(command.clone());
            List<String> forEngine = new ArrayList<>(args);
            forEngine.set(0, executable);
            Behavior b = new Behavior("process", "exec", executable);
            b.args = args;
            PolicyState.Active active = policy.active();
            Component who = who(active, Category.PROCESS);
            named(b, who);
            Decision decision = deciding(active) ? active.engine().process(forEngine, who) : null;
            if (shadow != null && decision != null) {
                try {
                    shadow(
                            b,
                            active,
                            decision,
                            shadow.engine().process(forEngine, shadowWho(active, Category.PROCESS, who)));
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            check(b, active, decision);
            if (baseline != null && new File(executable).isFile() && baseline.drifted(executable)) {
                Behavior drift = new Behavior("drift", "exec", executable);
                Component driftWho = who(active, Category.DRIFT);
                named(drift, driftWho);
                Decision drifted = deciding(active) ? active.engine().drift(executable, driftWho) : null;
                if (shadow != null && drifted != null) {
                    try {
                        shadow(
                                drift,
                                active,
                                drifted,
                                shadow.engine().drift(executable, shadowWho(active, Category.DRIFT, driftWho)));
                    } catch (Throwable t) {
                        failures.incrementAndGet(); // the candidate never decides, not even by failing
                    }
                }
                check(drift, active, drifted);
            }
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("process", String.join(" ", command), t);
        }
    }

    /** The absolute executable path: as given when it has a slash, else the first match on PATH. */
    static String resolveExecutable(String given, String directory, Map<String, String> environment) {
        if (given.indexOf('/') >= 0) {
            Path p = Path.of(given);
            if (!p.isAbsolute() && directory != null) p = Path.of(directory).resolve(p);
            return p.toAbsolutePath().normalize().toString();
        }
        String path = environment != null && environment.containsKey("PATH")
                ? environment.get("PATH")
                : System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) continue;
                File candidate = new File(dir, given);
                if (candidate.isFile() && candidate.canExecute()) {
                    return candidate.toPath().toAbsolutePath().normalize().toString();
                }
            }
        }
        return given;
    }

    // ---- native, JNDI, deserialization, class definition

    @Override
    public void nativeLoad(String pathOrName) {
        try {
            String p = pathOrName.indexOf('/') >= 0 ? absolute(pathOrName) : pathOrName;
            PolicyState.Active active = policy.active();
            // The attach library is what com.sun.tools.attach needs, for this JVM or another: attach is decided as a
            // capability first, whoever allowed the files or the library.
            if (p.endsWith("/libattach.so") || p.equals("attach")) {
                attach(active, p);
            }
            Component who = who(active, Category.NATIVE);
            Decision decision = deciding(active) ? active.engine().nativeLibrary(p, who) : null;
            if (shadow != null && decision != null) {
                try {
                    Decision candidate = shadow.engine().nativeLibrary(p, shadowWho(active, Category.NATIVE, who));
                    if (shadowAllows(candidate)) shadow.hit(candidate);
                    else if (!jvmOwnLoad(p, candidate)) {
                        shadow(named(new Behavior("native", "load", p), who), active, decision, candidate);
                    }
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            if (jvmOwnLoad(p, decision)) return;
            check(named(new Behavior("native", "load", p), who), active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("native", pathOrName, t);
        }
    }

    @Override
    public void jndi(String name) {
        try {
            PolicyState.Active active = policy.active();
            Behavior b = new Behavior("jndi", "lookup", name);
            Component who = who(active, Category.JNDI);
            named(b, who);
            Decision decision = deciding(active) ? active.engine().jndi(name, who) : null;
            if (shadow != null && decision != null) {
                try {
                    shadow(b, active, decision, shadow.engine().jndi(name, shadowWho(active, Category.JNDI, who)));
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            check(b, active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("jndi", name, t);
        }
    }

    @Override
    public void deserialize(Class<?> type) {
        if (type.isArray()) return; // the element classes are checked when their descriptors are read
        String name = type.getName();
        try {
            PolicyState.Active active = policy.active();
            Component who = who(active, Category.DESERIALIZATION);
            Decision decision = deciding(active) ? active.engine().deserialization(name, who) : null;
            if (shadow != null && decision != null) {
                try {
                    Decision candidate =
                            shadow.engine().deserialization(name, shadowWho(active, Category.DESERIALIZATION, who));
                    if (shadowAllows(candidate)) shadow.hit(candidate);
                    else {
                        shadow(
                                named(new Behavior("deserialization", "deserialize", name), who),
                                active,
                                decision,
                                candidate);
                    }
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            if (allowed(decision)) return;
            check(named(new Behavior("deserialization", "deserialize", name), who), active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("deserialization", name, t);
        }
    }

    @Override
    public void define(ClassLoader loader, String className, ProtectionDomain domain) {
        if (loader == ownLoader || fromFile(domain)) return;
        String name = className == null ? "?" : className;
        String loaderName = loader == null ? "bootstrap" : loader.getClass().getName();
        try {
            Behavior b = new Behavior("classdef", "define", name);
            b.loader = loaderName;
            PolicyState.Active active = policy.active();
            Component who = who(active, Category.CLASS_DEFINITION);
            named(b, who);
            Decision decision = deciding(active) ? active.engine().classDefinition(name, loaderName, who) : null;
            if (shadow != null && decision != null) {
                try {
                    shadow(
                            b,
                            active,
                            decision,
                            shadow.engine()
                                    .classDefinition(
                                            name, loaderName, shadowWho(active, Category.CLASS_DEFINITION, who)));
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            check(b, active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("classdef", name, t);
        }
    }

    private void attach(PolicyState.Active active, String library) {
        Class<?> caller = callerOutsideJdk();
        Behavior b = capabilityBehavior(Operation.ATTACH, caller, "com.sun.tools.attach.VirtualMachine");
        Component who = who(active, Category.CAPABILITY);
        named(b, who);
        Decision decision =
                deciding(active) ? active.engine().capability(Operation.ATTACH, b.resource, b.target, who) : null;
        if (shadow != null && decision != null) {
            try {
                shadow(
                        b,
                        active,
                        decision,
                        shadow.engine()
                                .capability(
                                        Operation.ATTACH,
                                        b.resource,
                                        b.target,
                                        shadowWho(active, Category.CAPABILITY, who)));
            } catch (Throwable t) {
                failures.incrementAndGet(); // the candidate never decides, not even by failing
            }
        }
        check(b, active, decision);
    }

    /** The first class on the stack outside the JDK (java.*, jdk.* modules) and the agent; null when there is none. */
    private Class<?> callerOutsideJdk() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(new CallerOutsideJdk(ownLoader));
    }

    /** Not a lambda: named, like the other classes here, so the agent spins none. */
    private static final class CallerOutsideJdk
            implements java.util.function.Function<java.util.stream.Stream<StackWalker.StackFrame>, Class<?>> {
        private final ClassLoader ownLoader;

        CallerOutsideJdk(ClassLoader ownLoader) {
            this.ownLoader = ownLoader;
        }

        @Override
        public Class<?> apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (it.hasNext()) {
                Class<?> c = it.next().getDeclaringClass();
                if (c.getClassLoader() == null && c.getName().startsWith("dev.inlay.")) continue;
                if (c.getClassLoader() == ownLoader) continue;
                Module m = c.getModule();
                if (m.isNamed()
                        && (m.getName().startsWith("java.") || m.getName().startsWith("jdk."))) continue;
                return c;
            }
            return null;
        }
    }

    // ---- capabilities and tampering

    @Override
    public void capability(int operation, Class<?> caller, String className) {
        Operation op = OPERATIONS[operation];
        try {
            String source = caller == null ? "<jdk>" : CodeSources.ALL.get(caller);
            PolicyState.Active active = policy.active();
            // The caller is known (the hook passes it): its component, without a walk.
            boolean scoped = attributionNeeded(active, Category.CAPABILITY)
                    || (shadow != null && deciding(active) && shadow.engine().scopedByComponent(Category.CAPABILITY));
            Component who = caller == null || !scoped ? null : attribution().of(caller);
            Decision decision = deciding(active) ? active.engine().capability(op, source, className, who) : null;
            if (shadow != null && decision != null) {
                try {
                    Decision candidate = shadow.engine().capability(op, source, className, who);
                    if (shadowAllows(candidate)) {
                        shadow.hit(candidate);
                    } else {
                        Behavior b = named(new Behavior("capability", op.wireName(), source), who);
                        b.target = className;
                        shadow(b, active, decision, candidate);
                    }
                } catch (Throwable t) {
                    failures.incrementAndGet(); // the candidate never decides, not even by failing
                }
            }
            if (allowed(decision)) return; // a library allowed reflection on every call: nothing built
            Behavior b = named(new Behavior("capability", op.wireName(), source), who);
            b.target = className;
            check(b, active, decision);
        } catch (SecurityException e) {
            throw e;
        } catch (Throwable t) {
            failed("capability", op.wireName() + " " + className, t);
        }
    }

    /**
     * The resource of a capability is where the calling code came from (its jar or class directory), so that a
     * library that needs Unsafe is allowed it and other code is not; {@code <unknown>} for code without a code
     * source (defined from bytes, hidden), which no rule can name.
     */
    static Behavior capabilityBehavior(Operation op, Class<?> caller, String className) {
        Behavior b = new Behavior("capability", op.wireName(), codeSource(caller));
        b.target = className;
        return b;
    }

    /**
     * Each class's code source as a path, worked out once per class. A class of its own, loaded at the first
     * capability check rather than with the checker before main().
     */
    private static final class CodeSources extends ClassValue<String> {
        static final CodeSources ALL = new CodeSources();

        @Override
        protected String computeValue(Class<?> type) {
            return codeSource(type);
        }
    }

    static String codeSource(Class<?> caller) {
        if (caller == null) return "<jdk>";
        ProtectionDomain domain = caller.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location == null ? "<unknown>" : codeSourcePath(location);
    }

    /**
     * A code source location as a path a policy can name: {@code file:/app/lib/x.jar} is {@code /app/lib/x.jar}; a
     * jar nested in the application jar (Spring Boot's {@code nested:/app/app.jar/!BOOT-INF/lib/x.jar}, or
     * {@code jar:file:/app/app.jar!/BOOT-INF/lib/x.jar!/}) keeps its place inside it,
     * {@code /app/app.jar/!BOOT-INF/lib/x.jar}; anything else (a remote URL) stays as it is, which no rule names.
     */
    static String codeSourcePath(URL location) {
        String s = location.toString();
        if (s.startsWith("jar:")) s = s.substring(4);
        if (s.endsWith("!/")) s = s.substring(0, s.length() - 2);
        String path;
        if (s.startsWith("file:")) path = s.substring(5);
        else if (s.startsWith("nested:")) path = s.substring(7);
        else return location.toString();
        path = path.replace("!/", "/!");
        if (path.startsWith("//")) path = path.substring(path.indexOf('/', 2)); // file://host/path
        path = decode(path);
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** URL escapes ({@code %20}) decoded; a '+' is a plus in a path, not a space. */
    private static String decode(String path) {
        if (path.indexOf('%') < 0) return path;
        try {
            return java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path; // a stray '%': kept as written
        }
    }

    /**
     * Reported as an event in every mode, blocked (the bridge denies the operation that found it); in enforce mode
     * the event is written at once, since whoever changed the bridge may try to stop the event thread next.
     */
    @Override
    public void tamper(String what, String detail) {
        tamper(what, detail, true);
    }

    /** @param blocked whether the operation that found it was stopped (the bridge's calls are, in every mode) */
    void tamper(String what, String detail, boolean blocked) {
        try {
            PolicyState.Active active = policy.active();
            Behavior b = new Behavior("tamper", what, truncate(detail));
            if (active.mode() == Mode.ENFORCE) reporter.eventNow(b, active.mode(), Action.DENY, blocked, "tamper");
            else reporter.event(b, active.mode(), Action.DENY, blocked, "tamper");
        } catch (Throwable t) {
            failures.incrementAndGet();
        }
    }

    /** Bytes that came from a class file or jar on disk (also nested in another jar), or from the JDK's own image. */
    static boolean fromFile(ProtectionDomain domain) {
        if (domain == null) return false;
        CodeSource source = domain.getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null) return false;
        String protocol = location.getProtocol();
        // nested: is Spring Boot 3.2+'s URL for a jar inside the application jar (nested:/app.jar/!BOOT-INF/lib/x.jar).
        if ("file".equals(protocol) || "jrt".equals(protocol) || "nested".equals(protocol)) return true;
        return "jar".equals(protocol)
                && (location.getPath().startsWith("file:") || location.getPath().startsWith("nested:"));
    }

    // ---- deciding

    /** Whether operations are decided (monitor, enforce); in learn mode everything is recorded instead. */
    private static boolean deciding(PolicyState.Active active) {
        return active.mode() != Mode.LEARN && active.engine() != null;
    }

    /**
     * The fast path of the hottest checks: an allowed operation is counted for its rule and returns without building
     * a behavior or an event. Anything else goes through {@link #check}, which reports that decision.
     */
    private boolean allowed(Decision decision) {
        if (decision == null || decision.action() != Action.ALLOW) return false;
        reporter.hit(decision.ruleId());
        return true;
    }

    /** A candidate decision that needs no shadow line: allow and alert (only what it would deny is reported). */
    private static boolean shadowAllows(Decision candidate) {
        return !candidate.action().blocks();
    }

    /** The candidate's view of a file operation, with the JVM baseline as the policy in force has it. */
    private void shadowFile(Operation op, String path, PolicyState.Active active, Decision decision, Component who) {
        try {
            Decision candidate = shadow.engine().file(op, path, shadowWho(active, Category.FILE, who));
            if (shadowAllows(candidate)) {
                shadow.hit(candidate);
                return;
            }
            if (jvmOwn(op, path, candidate)) return;
            shadow(new Behavior("file", op.wireName(), path), active, decision, candidate);
        } catch (Throwable t) {
            failures.incrementAndGet(); // the candidate never decides, not even by failing
        }
    }

    /**
     * Counts the candidate's rule and reports what it would deny as a {@code shadow} line. Never throws: the policy
     * in force alone decides the operation.
     */
    private void shadow(Behavior behavior, PolicyState.Active active, Decision decision, Decision candidate) {
        try {
            shadow.hit(candidate);
            if (shadowAllows(candidate)) return;
            attribute(behavior);
            reporter.shadow(
                    behavior, active.mode(), candidate, shadow, decision, RolloutFields.phase(startup.active()));
        } catch (Throwable t) {
            failures.incrementAndGet();
        }
    }

    /**
     * Records (learn mode: no decision) or reports and enforces a decision. Decisions are made by the callers, each
     * with its own engine method, rather than through a function passed here: each lambda would spin a class at the
     * application's first operation of its kind.
     */
    private void check(Behavior behavior, PolicyState.Active active, Decision decision) {
        if (decision == null) {
            attribute(behavior);
            recorder.record(behavior);
            return;
        }
        reporter.hit(decision.ruleId());
        Action action = decision.action();
        if (action == Action.ALLOW) return;
        attribute(behavior);
        boolean starting = startup.active();
        boolean enforcing = active.mode() == Mode.ENFORCE && action.blocks();
        // INLAY_STARTUP=monitor: a start-up denial is reported, not enforced, so that a bad policy cannot keep the
        // application from starting; after start-up, enforce as usual.
        boolean released = enforcing && starting && startup.monitor();
        boolean blocked = enforcing && !released;
        String rule = decision.ruleId();
        String phase = RolloutFields.phase(starting);
        // Start-up denials in profile form too, for `inlay policy generate` to merge after review (docs/EVENTS.md).
        if (starting && action.blocks()) recorder.record(behavior);
        if (blocked && action == Action.KILL) {
            reporter.eventNow(behavior, active.mode(), action, true, rule, phase);
            Runtime.getRuntime().halt(KILL_EXIT_CODE);
        }
        reporter.event(behavior, active.mode(), action, blocked, rule, phase, released);
        if (blocked) {
            throw new SecurityException("inlay: " + behavior.category + " " + behavior.operation + " "
                    + truncate(behavior.resource) + " denied by rule " + rule);
        }
    }

    private Attribution attribution() {
        Attribution a = attribution;
        if (a == null) {
            synchronized (this) {
                a = attribution;
                if (a == null) attribution = a = new Attribution(ownLoader, componentMap, reporter);
            }
        }
        return a;
    }

    /**
     * The component for a decision of the policy in force: found (a stack walk) only when a rule of the category is
     * scoped by component, since null means the JVM itself, to which only unscoped rules apply.
     */
    private Component who(PolicyState.Active active, Category category) {
        return deciding(active) && active.engine().scopedByComponent(category)
                ? attribution().caller()
                : null;
    }

    /** {@link #who} for a file operation: a class path jar read is the JVM's (docs/COVERAGE.md, "Attribution"). */
    private Component fileWho(PolicyState.Active active, Operation op, String path) {
        if (!attributionNeeded(active, Category.FILE)) return null;
        return op == Operation.READ && attribution().classPathJar(path)
                ? null
                : attribution().caller();
    }

    private boolean attributionNeeded(PolicyState.Active active, Category category) {
        return deciding(active) && active.engine().scopedByComponent(category);
    }

    /** As {@link #who} for the candidate policy, reusing the component the policy in force needed. */
    private Component shadowWho(PolicyState.Active active, Category category, Component who) {
        if (!shadow.engine().scopedByComponent(category)) return null;
        if (who != null || active.engine().scopedByComponent(category)) return who;
        return attribution().caller();
    }

    /** The behavior, naming the component when one was found for the decision. */
    private static Behavior named(Behavior behavior, Component who) {
        if (who != null) behavior.component = who.id;
        return behavior;
    }

    /**
     * Names the component that asked in a behavior about to be recorded or reported (docs/COVERAGE.md, "Attribution"):
     * a stack walk, made only here and where a component-scoped rule may decide.
     */
    private void attribute(Behavior behavior) {
        if (behavior.component != null || classPathRead(behavior.operation, behavior.category, behavior.resource)) {
            return;
        }
        behavior.component = attribution().callerId();
    }

    /** A read of a class path jar: the JVM's (docs/COVERAGE.md, "Attribution"). */
    private boolean classPathRead(String operation, String category, String path) {
        return "file".equals(category)
                && "read".equals(operation)
                && attribution().classPathJar(path);
    }

    private void failed(String category, String resource, Throwable t) {
        failures.incrementAndGet();
        reporter.failure(category, truncate(String.valueOf(resource)), t);
        PolicyState.Active active = policy.active();
        if (active.mode() == Mode.ENFORCE && !failOpen) {
            throw new SecurityException("inlay: " + category + " " + truncate(String.valueOf(resource))
                    + " denied: the agent could not decide (" + t + ")");
        }
    }

    static String truncate(String s) {
        return s.length() <= MAX_RESOURCE ? s : s.substring(0, MAX_RESOURCE) + "...";
    }
}
