package dev.inlay.probe;

import javax.naming.InitialContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A small application run under the agent: each named probe performs one operation through one API path and prints
 * {@code PROBE <name> OK|DENIED|ERROR <detail>}. Arguments: the work directory, a base port, then probe names (or
 * {@code all}).
 */
public final class Probe {
    interface Action {
        void run() throws Exception;
    }

    static final class Payload implements Serializable {
        private static final long serialVersionUID = 1L;
        int value = 42;
    }

    static final class FilteredPayload implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A File that names an allowed path to anyone who asks getPath(), while the JDK works on its real one. */
    static final class FakePath extends File {
        private static final long serialVersionUID = 1L;

        FakePath(Path real) {
            super(real.toString());
        }

        @Override
        public String getPath() {
            return "/tmp/inlay-probe-allowed";
        }
    }

    static final class BytesLoader extends ClassLoader {
        BytesLoader() {
            super(null);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length, null);
        }
    }

    /** Package-private, so that its proxy class is defined in this package: {@code dev.inlay.probe.$ProxyN}. */
    interface ProxiedService {
        String call();
    }

    public static void main(String[] args) throws Exception {
        Path w = Path.of(args[0]).resolve("denied");
        int port = Integer.parseInt(args[1]);
        Map<String, Action> probes = probes(w, port);
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("all")) {
                for (Map.Entry<String, Action> e : probes.entrySet()) run(e.getKey(), e.getValue());
            } else if (args[i].equals("loop-read")) {
                // For reload tests: keep trying one read and report every outcome.
                long end = System.currentTimeMillis() + 20_000;
                while (System.currentTimeMillis() < end) {
                    run("loop-read", () -> Files.readAllBytes(w.resolve("a.txt")));
                    Thread.sleep(200);
                }
            } else if (args[i].equals("loop-read-once")) {
                run("loop-read-once", () -> Files.readAllBytes(w.resolveSibling("outside.txt")));
            } else {
                run(args[i], probes.get(args[i]));
            }
        }
        System.out.flush();
    }

    static void run(String name, Action action) {
        try {
            action.run();
            System.out.println("PROBE " + name + " OK");
        } catch (Throwable t) {
            Throwable denial = denial(t);
            if (denial != null) System.out.println("PROBE " + name + " DENIED " + oneLine(denial.getMessage()));
            else System.out.println("PROBE " + name + " ERROR " + oneLine(t.toString()));
        }
    }

    private static Throwable denial(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SecurityException && String.valueOf(c.getMessage()).startsWith("inlay:")) return c;
            if (c instanceof InvocationTargetException ite && ite.getTargetException() != c.getCause()) {
                return denial(ite.getTargetException());
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replace('\n', ' ');
    }

    static Map<String, Action> probes(Path w, int port) throws Exception {
        InetSocketAddress[] closed = new InetSocketAddress[20];
        for (int i = 0; i < closed.length; i++) closed[i] = new InetSocketAddress("127.0.0.1", port + i);
        Map<String, Action> p = new LinkedHashMap<>();
        // Resource lookups reach every class path jar, the agent's own included (on the boot and the system class
        // path): the JDK opens it for them on the application's thread.
        p.put("resources.everyManifest", () -> {
            int found = java.util.Collections.list(
                            ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF"))
                    .size();
            java.util.ServiceLoader.load(java.nio.file.spi.FileTypeDetector.class).stream()
                    .count();
            if (found == 0) throw new IllegalStateException("no manifest found");
        });
        // files: read
        p.put(
                "file.read.FileInputStream",
                () -> new FileInputStream(w.resolve("r1.txt").toFile()).close());
        p.put(
                "file.read.RandomAccessFile",
                () -> new RandomAccessFile(w.resolve("r2.txt").toFile(), "r").close());
        p.put(
                "file.read.Files.newInputStream",
                () -> Files.newInputStream(w.resolve("r3.txt")).close());
        p.put("file.read.Files.readAllBytes", () -> Files.readAllBytes(w.resolve("r4.txt")));
        p.put("file.read.Files.readString", () -> Files.readString(w.resolve("r5.txt")));
        p.put("file.read.Files.lines", () -> {
            try (Stream<String> lines = Files.lines(w.resolve("r6.txt"))) {
                lines.count();
            }
        });
        p.put(
                "file.read.Files.newByteChannel",
                () -> Files.newByteChannel(w.resolve("r7.txt")).close());
        p.put(
                "file.read.FileChannel.open",
                () -> FileChannel.open(w.resolve("r8.txt")).close());
        p.put(
                "file.read.AsynchronousFileChannel",
                () -> AsynchronousFileChannel.open(w.resolve("r9.txt")).close());
        p.put("file.read.ZipFile", () -> new ZipFile(w.resolve("z.zip").toFile()).close());
        p.put(
                "file.read.JarFile",
                () -> new java.util.jar.JarFile(w.resolve("j.jar").toFile()).close());
        // files: write
        p.put(
                "file.write.FileOutputStream",
                () -> new FileOutputStream(w.resolve("w1.txt").toFile()).close());
        p.put(
                "file.write.RandomAccessFile",
                () -> new RandomAccessFile(w.resolve("w2.txt").toFile(), "rw").close());
        p.put(
                "file.write.Files.newOutputStream",
                () -> Files.newOutputStream(w.resolve("w3.txt")).close());
        p.put("file.write.Files.write", () -> Files.write(w.resolve("w4.txt"), new byte[] {1}));
        p.put("file.write.Files.writeString", () -> Files.writeString(w.resolve("w5.txt"), "x"));
        p.put(
                "file.write.FileChannel.open",
                () -> FileChannel.open(w.resolve("w6.txt"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                        .close());
        p.put("file.write.Files.copy", () -> Files.copy(w.resolveSibling("src.txt"), w.resolve("w7.txt")));
        // files: create, delete, rename/move
        p.put(
                "file.create.File.createNewFile",
                () -> w.resolve("c1.txt").toFile().createNewFile());
        p.put("file.create.File.createTempFile", () -> File.createTempFile("probe", ".tmp", w.toFile()));
        p.put("file.create.Files.createTempFile", () -> Files.createTempFile(w, "nio", ".tmp"));
        p.put("file.create.Files.createTempDirectory", () -> Files.createTempDirectory(w, "niodir"));
        p.put("file.create.Files.createFile", () -> Files.createFile(w.resolve("c2.txt")));
        p.put("file.create.File.mkdir", () -> w.resolve("c3").toFile().mkdir());
        p.put("file.create.Files.createDirectory", () -> Files.createDirectory(w.resolve("c4")));
        p.put("file.delete.File.delete", () -> w.resolve("d1.txt").toFile().delete());
        p.put("file.delete.Files.delete", () -> Files.delete(w.resolve("d2.txt")));
        p.put("file.delete.File.subclassFakingGetPath", () -> new FakePath(w.resolve("d3.txt")).delete());
        p.put(
                "file.write.File.renameToASubclassFakingGetPath",
                () -> w.getParent().resolve("src3.txt").toFile().renameTo(new FakePath(w.resolve("m3.txt"))));
        p.put(
                "file.delete.File.renameTo",
                () -> w.resolve("m1.txt").toFile().renameTo(w.resolve("m1b.txt").toFile()));
        p.put("file.delete.Files.move", () -> Files.move(w.resolve("m2.txt"), w.resolve("m2b.txt")));
        // SecureDirectoryStream: relative to a directory that may be listed (the work directory), into the denied one
        p.put("file.write.SecureDirectoryStream.newByteChannel", () -> {
            try (SecureDirectoryStream<Path> dir = secure(w.getParent())) {
                dir.newByteChannel(
                                Path.of("denied/s1.txt"), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE))
                        .close();
            }
        });
        p.put("file.delete.SecureDirectoryStream.deleteFile", () -> {
            try (SecureDirectoryStream<Path> dir = secure(w.getParent())) {
                dir.deleteFile(Path.of("denied/s2.txt"));
            }
        });
        p.put("file.delete.SecureDirectoryStream.move", () -> {
            try (SecureDirectoryStream<Path> dir = secure(w.getParent())) {
                dir.move(Path.of("denied/s3.txt"), dir, Path.of("s3b.txt"));
            }
        });
        p.put("file.write.SecureDirectoryStream.move", () -> {
            try (SecureDirectoryStream<Path> dir = secure(w.getParent())) {
                dir.move(Path.of("src2.txt"), dir, Path.of("denied/s4.txt"));
            }
        });
        p.put("file.list.SecureDirectoryStream.newDirectoryStream", () -> {
            try (SecureDirectoryStream<Path> dir = secure(w.getParent())) {
                dir.newDirectoryStream(Path.of("denied/l6")).close();
            }
        });
        // files: list
        p.put("file.list.File.list", () -> w.resolve("l1").toFile().list());
        p.put("file.list.File.listFiles", () -> w.resolve("l2").toFile().listFiles());
        p.put("file.list.Files.list", () -> {
            try (Stream<Path> s = Files.list(w.resolve("l3"))) {
                s.count();
            }
        });
        p.put("file.list.Files.walk", () -> {
            try (Stream<Path> s = Files.walk(w.resolve("l4"))) {
                s.count();
            }
        });
        p.put("file.list.Files.newDirectoryStream", () -> {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(w.resolve("l5"))) {
                s.iterator().hasNext();
            }
        });
        // network: connect (nothing listens: the attempt itself is what is checked)
        p.put("network.connect.Socket", () -> new Socket(closed[0].getAddress(), closed[0].getPort()).close());
        p.put(
                "network.connect.SocketChannel",
                () -> SocketChannel.open(closed[1]).close());
        p.put("network.connect.SocketChannel.nonBlocking", () -> {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                ch.connect(closed[2]);
            }
        });
        p.put("network.connect.SocketChannel.socket", () -> {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.socket().connect(closed[3], 2000);
            }
        });
        p.put("network.connect.AsynchronousSocketChannel", () -> {
            try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
                ch.connect(closed[4]).get(5, TimeUnit.SECONDS);
            }
        });
        p.put(
                "network.connect.HttpURLConnection",
                () -> new URL("http://127.0.0.1:" + closed[5].getPort() + "/")
                        .openConnection()
                        .getInputStream()
                        .close());
        p.put(
                "network.connect.HttpClient",
                () -> HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed[6].getPort() + "/"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding()));
        p.put("network.connect.DatagramSocket.send", () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(new byte[1], 1, closed[7]));
            }
        });
        p.put("network.connect.DatagramChannel.send", () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.send(ByteBuffer.allocate(1), closed[8]);
            }
        });
        p.put("network.connect.DatagramChannel.connect", () -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.connect(closed[9]);
            }
        });
        p.put("network.connect.DatagramSocket.connect", () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(closed[10]);
            }
        });
        // network: listen and accept, on local ports port+11..port+15
        p.put(
                "network.listen.ServerSocket",
                () -> new ServerSocket(port + 11, 1, InetAddress.getLoopbackAddress()).close());
        p.put(
                "network.listen.ServerSocketChannel",
                () -> ServerSocketChannel.open()
                        .bind(new InetSocketAddress("127.0.0.1", port + 12))
                        .close());
        p.put(
                "network.listen.AsynchronousServerSocketChannel",
                () -> AsynchronousServerSocketChannel.open()
                        .bind(new InetSocketAddress("127.0.0.1", port + 13))
                        .close());
        p.put(
                "network.listen.DatagramSocket",
                () -> new DatagramSocket(port + 14, InetAddress.getLoopbackAddress()).close());
        p.put("network.accept.ServerSocket", () -> {
            try (ServerSocket s = new ServerSocket(port + 15, 1, InetAddress.getLoopbackAddress())) {
                s.setSoTimeout(1);
                s.accept().close();
            }
        });
        p.put("network.accept.ServerSocketChannel", () -> {
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                s.bind(new InetSocketAddress("127.0.0.1", port + 16));
                s.configureBlocking(false);
                s.accept();
            }
        });
        // DNS
        p.put("dns.resolve.InetAddress.getByName", () -> InetAddress.getByName("localhost"));
        p.put("dns.resolve.InetAddress.getAllByName", () -> InetAddress.getAllByName("ip6-localhost"));
        // processes and drift (/usr/bin/env is absent from the test baseline)
        p.put(
                "process.exec.ProcessBuilder",
                () -> new ProcessBuilder("/usr/bin/true").start().waitFor());
        p.put(
                "process.exec.Runtime.exec",
                () -> Runtime.getRuntime()
                        .exec(new String[] {"/bin/sh", "-c", "exit 0"})
                        .waitFor());
        p.put(
                "drift.exec.ProcessBuilder",
                () -> new ProcessBuilder("/usr/bin/env").start().waitFor());
        // native libraries
        p.put("native.load.System.load", () -> System.load(nativeLibrary()));
        p.put("native.load.SymbolLookup.libraryLookup", () -> {
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Object global = arena.getMethod("global").invoke(null);
            Class.forName("java.lang.foreign.SymbolLookup")
                    .getMethod("libraryLookup", Path.class, arena)
                    .invoke(null, Path.of(nativeLibrary2()), global);
        });
        // JNDI
        p.put(
                "jndi.lookup.InitialContext.lookup",
                () -> new InitialContext().lookup("ldap://127.0.0.1:" + closed[17].getPort() + "/cn=probe"));
        p.put(
                "jndi.lookup.InitialDirContext.getAttributes",
                () -> new javax.naming.directory.InitialDirContext()
                        .getAttributes("ldap://127.0.0.1:" + closed[18].getPort() + "/cn=probe2"));
        // deserialization
        p.put("deserialization.deserialize.ObjectInputStream", () -> deserialize(new Payload(), null));
        p.put(
                "deserialization.deserialize.ObjectInputStream.withFilter",
                () -> deserialize(new FilteredPayload(), info -> ObjectInputFilter.Status.ALLOWED));
        // class definition
        p.put("classdef.define.ClassLoader.defineClass", () -> {
            byte[] bytes;
            try (InputStream in = Probe.class.getResourceAsStream("DefinedFromBytes.class")) {
                bytes = in.readAllBytes();
            }
            new BytesLoader().define("dev.inlay.probe.DefinedFromBytes", bytes);
        });
        p.put(
                "classdef.define.Lookup.defineClass",
                () -> MethodHandles.lookup().defineClass(classFile("DefinedByLookup.class")));
        p.put(
                "classdef.define.Lookup.defineHiddenClass",
                () -> MethodHandles.lookup().defineHiddenClass(classFile("DefinedHidden.class"), false));
        // The JDK's code between the application and Lookup.defineClass: still the application's definition.
        p.put("classdef.define.Lookup.defineClass.throughTheJdk", () -> {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle define = lookup.findVirtual(
                            MethodHandles.Lookup.class, "defineClass", MethodType.methodType(Class.class, byte[].class))
                    .bindTo(lookup)
                    .bindTo(classFile("DefinedIndirectly.class"));
            MethodHandleProxies.asInterfaceInstance(java.util.concurrent.Callable.class, define)
                    .call();
        });
        // A framework-style proxy; its handler is a lambda, a hidden class of the JDK's that must not be reported.
        p.put(
                "classdef.define.Proxy.newProxyInstance",
                () -> ((ProxiedService) Proxy.newProxyInstance(
                                Probe.class.getClassLoader(),
                                new Class<?>[] {ProxiedService.class},
                                (proxy, method, a) -> "proxied"))
                        .call());
        // virtual threads (JDK 21+): the check happens in the virtual thread
        p.put("file.read.virtualThread", () -> {
            Throwable[] failure = new Throwable[1];
            Runnable read = () -> {
                try {
                    Files.readAllBytes(w.resolve("v1.txt"));
                } catch (Throwable t) {
                    failure[0] = t;
                }
            };
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Thread t = (Thread) Class.forName("java.lang.Thread$Builder")
                    .getMethod("start", Runnable.class)
                    .invoke(builder, read);
            t.join();
            if (failure[0] instanceof Exception e) throw e;
            if (failure[0] != null) throw new RuntimeException(failure[0]);
        });
        // isolation: the application sees none of the agent's implementation
        p.put("isolation", () -> {
            for (String hidden : new String[] {
                "org.objectweb.asm.ClassReader",
                "dev.inlay.shaded.asm.ClassReader",
                "dev.inlay.runtime.Checker",
                "dev.inlay.shaded.policy.Policy",
                "dev.inlay.policy.Policy",
                "org.snakeyaml.engine.v2.api.Load",
                "dev.inlay.shaded.org.snakeyaml.engine.v2.api.Load"
            }) {
                try {
                    Class.forName(hidden);
                    throw new IllegalStateException("visible to the application: " + hidden);
                } catch (ClassNotFoundException expected) {
                    // hidden, as it should be
                }
            }
            Class.forName("dev.inlay.bootstrap.Inlay");
        });
        return p;
    }

    static String nativeLibrary() {
        return new File(System.getProperty("java.home"), "lib/libj2pkcs11.so").getPath();
    }

    static String nativeLibrary2() {
        return new File(System.getProperty("java.home"), "lib/libj2gss.so").getPath();
    }

    private static SecureDirectoryStream<Path> secure(Path dir) throws Exception {
        DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
        if (stream instanceof SecureDirectoryStream<Path> secure) return secure;
        stream.close();
        throw new IllegalStateException("no SecureDirectoryStream for " + dir);
    }

    private static byte[] classFile(String resource) throws Exception {
        try (InputStream in = Probe.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    private static void deserialize(Object value, ObjectInputFilter filter) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            if (filter != null) in.setObjectInputFilter(filter);
            in.readObject();
        }
    }
}
