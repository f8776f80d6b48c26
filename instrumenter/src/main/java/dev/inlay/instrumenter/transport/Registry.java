package dev.inlay.instrumenter.transport;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.inlay.instrumenter.image.BlobReadException;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.image.MediaTypes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Registry I/O through Jib Core's RegistryClient: manifests (kept byte for byte, see {@link RawManifest}), blobs with
 * existence checks and cross-repository mounts. Credentials: {@link RegistryAuth}; plain HTTP and credentials over it:
 * {@link RegistryAccess}; which failures are retried: {@link RegistryHttpClient}; what a failure says: {@link RegistryErrors}.
 */
final class Registry {
    private final ImageReference reference;
    private final Progress progress;
    private final TransferStats stats;
    private final RegistryAuth auth;
    private final RegistryHttpClient http;
    private final RegistryAccess access;
    /** Where the credentials came from, for the message when the registry refuses them. */
    private String credentialSource = "not looked up";
    /** The credentials found for this registry (looked up once, with the first client). */
    private Optional<Credential> credential = Optional.empty();
    /** inlay's own authorization for raw manifest reads ({@link RegistryAuthorization}), obtained at the first. */
    private Authorization manifestAuthorization;

    private boolean manifestAuthorized;

    Registry(
            ImageReference reference,
            RegistryAccess access,
            RegistryAuth auth,
            Progress progress,
            TransferStats stats) {
        this.reference = reference;
        this.auth = auth;
        this.access = access;
        this.progress = progress;
        this.stats = stats;
        String host = reference.getRegistry();
        this.http = new RegistryHttpClient(
                access.allowsPlainHttp(host),
                access.sendsCredentialsOverHttp(host),
                m -> System.err.println("inlay: " + m));
    }

    ImageReference reference() {
        return reference;
    }

    private RegistryClient client(boolean push, String mountFrom) throws IOException {
        RegistryClient.Factory factory = mountFrom == null
                ? RegistryClient.factory(EventHandlers.NONE, reference.getRegistry(), reference.getRepository(), http)
                : RegistryClient.factory(
                        EventHandlers.NONE, reference.getRegistry(), reference.getRepository(), mountFrom, http);
        RegistryAuth.Found found = auth.credential(
                reference, RegistryAuth.Environment.current(), m -> System.err.println("inlay: WARNING: " + m));
        credentialSource = found.source();
        credential = found.credential();
        credential.ifPresent(factory::setCredential);
        factory.setUserAgent("inlay");
        RegistryClient client = factory.newRegistryClient();
        try {
            boolean bearer = push ? client.doPushBearerAuth() : client.doPullBearerAuth();
            if (!bearer && credential.isPresent()) client.configureBasicAuth();
        } catch (RegistryException | IOException e) {
            throw failure(e, push ? "push" : "pull");
        }
        return client;
    }

    /** A failure of this registry, explained (see {@link RegistryErrors}). */
    IOException failure(Throwable e, String what) {
        return RegistryErrors.explain(e, reference, what, credentialSource);
    }

    // ---- reading

    ImageArtifact read(Predicate<String> platformWanted) throws IOException {
        RegistryClient client = client(false, null);
        Store store = new Store(client);
        byte[] bytes = pullManifestBytes(client, reference.getQualifier());
        if (reference.getDigest().isPresent())
            ContentStore.checked(bytes, reference.getDigest().get(), "manifest");
        return store.load(bytes, platformWanted);
    }

    private static final List<String> MANIFEST_TYPES = List.of(
            MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

    /**
     * GETs a manifest as raw bytes. Jib's manifest pull parses into templates and loses the bytes that the digest is
     * computed over, so this request goes through Jib's HTTP client directly, with an authorization of inlay's own
     * (Jib keeps the one it obtained private).
     */
    private byte[] pullManifestBytes(RegistryClient client, String qualifier) throws IOException {
        Request.Builder request = Request.builder()
                .setAccept(MANIFEST_TYPES)
                .setUserAgent("inlay")
                .setHttpTimeout(60_000);
        try {
            if (!manifestAuthorized) {
                manifestAuthorization = RegistryAuthorization.forPull(
                        access, reference.getRegistry(), reference.getRepository(), credential);
                manifestAuthorized = true;
            }
        } catch (IOException e) {
            throw failure(e, "pull");
        }
        if (manifestAuthorization != null) request.setAuthorization(manifestAuthorization);
        URL url = new URL(
                "https://" + reference.getRegistry() + "/v2/" + reference.getRepository() + "/manifests/" + qualifier);
        try (Response response = http.get(url, request.build());
                InputStream body = response.getBody()) {
            return LayerStreams.readSmall(body, Json.MAX_DOCUMENT_BYTES, "manifest " + qualifier);
        } catch (IOException e) {
            throw failure(e, "manifest " + qualifier);
        }
    }

    private final class Store extends ContentStore {
        private final RegistryClient client;

        Store(RegistryClient client) {
            this.client = client;
        }

        @Override
        byte[] manifest(String digest) throws IOException {
            return pullManifestBytes(client, digest);
        }

        @Override
        byte[] smallBlob(String digest) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                client.pullBlob(toDigest(digest), size -> {}, n -> {})
                        .writeTo(new LimitedOutput(out, Json.MAX_DOCUMENT_BYTES));
            } catch (MalformedImageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw failure(e, "blob " + digest);
            }
            return out.toByteArray();
        }

        @Override
        BlobSource blob(String digest, long size) {
            return new RemoteBlob(client, digest, size);
        }
    }

    /**
     * A layer in the registry. The first open starts downloading it once into a temporary file and reads that file
     * as it grows, so that decompressing and hashing overlap the transfer (one streaming pass); later opens reuse the
     * file (the baseline scan and a copy to another place both read it); a registry-to-same-registry copy never opens
     * it. A reader sees the end of the blob only once its digest has been checked: a wrong or failed download is an
     * error at the reader's last read, never a short blob.
     */
    final class RemoteBlob implements BlobSource {
        private final RegistryClient client;
        final String digest;
        final long size;
        private Download download;

        RemoteBlob(RegistryClient client, String digest, long size) {
            this.client = client;
            this.digest = digest;
            this.size = size;
        }

        Registry registry() {
            return Registry.this;
        }

        @Override
        public InputStream open() throws IOException {
            Download d;
            synchronized (this) {
                if (download == null || download.failed()) download = new Download(this);
                d = download;
            }
            return d.reader();
        }
    }

    /** One blob being written to a temporary file by a thread of its own, and read by any number of readers. */
    private final class Download {
        private final Path file;
        private long written;
        private boolean complete;
        private IOException failure;

        Download(RemoteBlob blob) throws IOException {
            file = Files.createTempFile("inlay-blob-", ".bin");
            file.toFile().deleteOnExit();
            Thread t = new Thread(() -> run(blob), "inlay-pull-" + shortDigest(blob.digest));
            t.setDaemon(true);
            t.start();
        }

        private void run(RemoteBlob blob) {
            var md = Digests.sha256();
            IOException failed = null;
            try (OutputStream file = Files.newOutputStream(this.file);
                    OutputStream out = new java.security.DigestOutputStream(new Notifying(file), md)) {
                Progress.Task task = progress.start("pull " + shortDigest(blob.digest), blob.size);
                blob.client
                        .pullBlob(toDigest(blob.digest), s -> {}, n -> {
                            task.advance(n);
                            stats.downloaded(n);
                        })
                        .writeTo(out);
                task.done();
            } catch (IOException | RuntimeException e) {
                failed = new BlobReadException(failure(e, "blob " + blob.digest));
            }
            if (failed == null) {
                String actual = Digests.format(md.digest());
                if (!actual.equals(blob.digest)) {
                    failed = new IOException(new MalformedImageException(
                            "blob " + blob.digest + " from " + reference + " hashes to " + actual));
                }
            }
            synchronized (this) {
                failure = failed;
                complete = true;
                notifyAll();
            }
            if (failed != null) {
                try {
                    Files.deleteIfExists(this.file);
                } catch (IOException ignored) {
                    // deleted on exit
                }
            }
        }

        synchronized boolean failed() {
            return failure != null;
        }

        /** Called by the writer: {@code n} more bytes are in the file. */
        private synchronized void wrote(long n) {
            written += n;
            notifyAll();
        }

        /**
         * Waits until the file holds more than {@code position} bytes or the download ended; returns how many bytes
         * may be read at {@code position}, or -1 at the verified end.
         */
        private synchronized long readyAt(long position) throws IOException {
            while (position >= written && !complete) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while downloading a blob");
                }
            }
            if (failure != null) {
                if (failure.getCause() instanceof MalformedImageException m) throw m;
                throw failure;
            }
            return position < written ? written - position : -1;
        }

        InputStream reader() throws IOException {
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file);
            return new InputStream() {
                private long position;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return 0;
                    long ready = readyAt(position);
                    if (ready < 0) return -1;
                    int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, ready)), position);
                    if (n > 0) position += n;
                    return n;
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        /** Tells the readers about every write. */
        private final class Notifying extends java.io.FilterOutputStream {
            Notifying(OutputStream out) {
                super(out);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                out.flush();
                wrote(len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                out.flush();
                wrote(1);
            }
        }
    }

    // ---- writing

    /** Pushes everything the artifact needs, then its manifest under the reference's tag (or digest). */
    String write(ImageArtifact artifact) throws IOException {
        String mountFrom = null;
        for (Image image : images(artifact)) {
            for (Layer l : image.layers()) {
                if (l.content() instanceof RemoteBlob rb
                        && rb.registry().sameRegistryAs(this)
                        && !rb.registry().reference.getRepository().equals(reference.getRepository())) {
                    mountFrom = rb.registry().reference.getRepository();
                }
            }
        }
        RegistryClient client = client(true, mountFrom);
        try {
            if (artifact instanceof ImageIndex index) {
                for (ImageIndex.Entry e : index.entries()) {
                    if (e.image() == null) {
                        throw new MalformedImageException(
                                "index entry " + Json.text(e.descriptor(), "digest") + " (" + e.platform()
                                        + ") was not read and cannot be written; choose platforms with --platform");
                    }
                    writeImage(client, e.image(), e.image().digest());
                }
            } else {
                writeImage(client, (Image) artifact, null);
            }
            String tag = reference.getDigest().isPresent() ? artifact.digest() : reference.getQualifier();
            DescriptorDigest pushed = client.pushManifest(new RawManifest(artifact.manifestBytes()), tag);
            stats.uploaded(artifact.manifestBytes().length);
            return pushed.toString();
        } catch (RegistryException | IOException e) {
            throw failure(e, "push");
        }
    }

    private static List<Image> images(ImageArtifact artifact) {
        List<Image> images = new ArrayList<>();
        if (artifact instanceof ImageIndex index) {
            for (ImageIndex.Entry e : index.entries()) if (e.image() != null) images.add(e.image());
        } else {
            images.add((Image) artifact);
        }
        return images;
    }

    private boolean sameRegistryAs(Registry other) {
        return reference.getRegistry().equals(other.reference.getRegistry());
    }

    private void writeImage(RegistryClient client, Image image, String manifestTag)
            throws IOException, RegistryException {
        for (Layer l : image.layers()) pushBlob(client, l.digest(), l.size(), l.content());
        byte[] config = image.configBytes();
        pushBlob(client, image.configDigest(), config.length, BlobSource.of(config));
        if (manifestTag != null) {
            client.pushManifest(new RawManifest(image.manifestBytes()), manifestTag);
            stats.uploaded(image.manifestBytes().length);
        }
    }

    private void pushBlob(RegistryClient client, String digest, long size, BlobSource content)
            throws IOException, RegistryException {
        DescriptorDigest d = toDigest(digest);
        if (client.checkBlob(d).isPresent()) {
            stats.skipped(size);
            return;
        }
        String mountFrom = null;
        if (content instanceof RemoteBlob rb && rb.registry().sameRegistryAs(this)) {
            mountFrom = rb.registry().reference.getRepository();
        }
        Progress.Task task = progress.start("push " + shortDigest(digest), size);
        long[] sent = {0};
        Blob blob = Blobs.from(
                out -> {
                    try (InputStream in = content.open()) {
                        in.transferTo(out);
                    }
                },
                true);
        boolean mounted = client.pushBlob(d, blob, mountFrom, n -> {
            sent[0] = n;
            task.advance(n);
        });
        task.done();
        if (mounted) stats.mounted(size);
        else stats.copied(size);
    }

    static DescriptorDigest toDigest(String digest) {
        try {
            return DescriptorDigest.fromDigest(digest);
        } catch (DigestException e) {
            throw new MalformedImageException("not a digest: " + digest, e);
        }
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(7, 19) : digest;
    }

    /** Fails a small download that grows beyond its limit instead of filling memory. */
    private static final class LimitedOutput extends OutputStream {
        private final OutputStream out;
        private final long max;
        private long n;

        LimitedOutput(OutputStream out, long max) {
            this.out = out;
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            n += len;
            if (n > max) throw new MalformedImageException("a config blob is larger than " + max + " bytes");
            out.write(b, off, len);
        }
    }
}
