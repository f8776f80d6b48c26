package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's output. Application threads only touch a bounded queue and a map of open aggregates. Two daemon
 * threads: {@code inlay-events} folds repeats of one event within the window into the first one's count and runs the
 * agent's periodic work (profile snapshots, hit counts, policy reloads, counters); {@code inlay-sink} writes the
 * resulting lines, from a second bounded queue, to the sink. Nothing but the sink thread ever waits on the sink: a
 * stalled or failing sink costs lines (dropped and counted, reported on stderr), never a policy reload, a decision or
 * the JVM's exit. Shutdown waits for the sink at most {@code shutdownTimeout}; a {@code kill} waits at most
 * {@link #KILL_WAIT_MILLIS} for its event.
 */
final class EventStream {
    static final int MAX_LINE_BYTES = 8192;
    /** How long a {@code kill} waits for the sink to take its event before the JVM halts. */
    static final long KILL_WAIT_MILLIS = 500;
    /** The default bound of the shutdown hook's wait for the sink. */
    static final long SHUTDOWN_TIMEOUT_MILLIS = 2000;
    /** At most this often a failing sink is reported on stderr (the first failure at once). */
    private static final long STDERR_EVERY_MILLIS = 30_000;

    private static final int MAX_BATCH_LINES = 1000;
    /** The sink's queue holds at most this many characters (a few snapshots of a full profile), besides its lines. */
    private static final long MAX_QUEUED_CHARS = 16L << 20;

    /** Periodic work run on the stream's thread; {@code atShutdown} is true for the last run. */
    interface Task {
        List<String> run(boolean atShutdown);
    }

    private static final class ScheduledTask {
        final Task task;
        final long periodMillis;
        long next;

        ScheduledTask(Task task, long periodMillis) {
            this.task = task;
            this.periodMillis = periodMillis;
            this.next = System.currentTimeMillis() + periodMillis;
        }
    }

    /** One event and its repeats. count &lt; 0 means closed: a repeat then opens a new aggregate. */
    static final class Aggregate {
        final String key;
        final long firstMillis;
        final Function<Long, String> render;
        private final AtomicLong count = new AtomicLong(1);

        Aggregate(String key, long firstMillis, Function<Long, String> render) {
            this.key = key;
            this.firstMillis = firstMillis;
            this.render = render;
        }

        boolean repeat() {
            for (; ; ) {
                long c = count.get();
                if (c < 0) return false;
                if (count.compareAndSet(c, c + 1)) return true;
            }
        }

        long close() {
            return count.getAndSet(-1);
        }
    }

    private final Sink sink;
    private final long windowMillis;
    private final ArrayBlockingQueue<Object> queue;
    /** Lines for the sink thread; a kill event goes to the front. */
    private final LinkedBlockingDeque<String> out;

    private final ConcurrentHashMap<String, Aggregate> open = new ConcurrentHashMap<>();
    private final ArrayDeque<Aggregate> waiting = new ArrayDeque<>();
    private final List<ScheduledTask> tasks = new ArrayList<>();
    // AtomicLong, not LongAdder: rare updates, and LongAdder's VarHandles cost milliseconds to set up before main().
    /** Lines never handed to the sink: a queue was full, or a line was longer than 8 KiB. */
    private final AtomicLong dropped = new AtomicLong();
    /** Lines handed to the sink that it failed to take (an error or the write deadline). */
    private final AtomicLong sinkLost = new AtomicLong();

    private final AtomicLong sinkFailures = new AtomicLong();
    /** Lines queued for the sink and not yet written or lost, and their characters. */
    private final AtomicLong pending = new AtomicLong();

    private final AtomicLong queuedChars = new AtomicLong();
    private final Object progress = new Object();
    private volatile boolean running = true;
    /** The sink thread's current write gives up at the latest here (set at shutdown). */
    private volatile long finalDeadlineNanos = Long.MAX_VALUE;

    private volatile String lastSinkError;
    private volatile String urgent;
    private volatile CountDownLatch urgentWritten;
    private Thread thread;
    private volatile Thread writer;
    private long droppedReported;
    private Function<Long, String> dropStatus;
    private long stderrReportedAt;
    private long stderrLostReported;
    private final FileOutputStream stderr = new FileOutputStream(FileDescriptor.err);

    EventStream(Sink sink, long windowMillis, int capacity) {
        this.sink = sink;
        this.windowMillis = windowMillis;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = new LinkedBlockingDeque<>(capacity);
    }

    void schedule(Task task, long periodMillis) {
        synchronized (tasks) {
            tasks.add(new ScheduledTask(task, Math.max(100, periodMillis)));
        }
    }

    /** Renders the status line reporting drops, given the total so far. */
    void onDrops(Function<Long, String> status) {
        this.dropStatus = status;
    }

    /** @param agentKey what the bridge asks for to leave the thread's own work unchecked ({@code Inlay.claim}) */
    void start(Object agentKey) {
        sink.ownThreads(agentKey);
        // Not method references: no class spun during startup.
        writer = new Thread("inlay-sink") {
            @Override
            public void run() {
                Inlay.ownThread(agentKey);
                writeLoop();
            }
        };
        writer.setDaemon(true);
        writer.start();
        thread = new Thread("inlay-events") {
            @Override
            public void run() {
                loop(agentKey);
            }
        };
        thread.setDaemon(true);
        thread.start();
    }

    /** An event from an application thread: counted into an open aggregate, or queued as a new one. */
    void event(String key, Supplier<Function<Long, String>> renderer) {
        for (; ; ) {
            Aggregate a = open.get(key);
            if (a != null) {
                if (a.repeat()) return;
                open.remove(key, a);
                continue;
            }
            Aggregate fresh = new Aggregate(key, System.currentTimeMillis(), renderer.get());
            if (open.putIfAbsent(key, fresh) != null) continue;
            if (!queue.offer(fresh)) {
                open.remove(key, fresh);
                dropped.incrementAndGet();
            }
            return;
        }
    }

    /** A line that does not aggregate (status). Dropped, and counted, when the queue is full. */
    void line(String json) {
        if (!queue.offer(json)) dropped.incrementAndGet();
    }

    /**
     * For {@code kill}, right before the JVM halts: the event goes to the front of the sink's queue, and this waits
     * at most {@link #KILL_WAIT_MILLIS} for the sink to take it. Not written by the calling thread: an application
     * thread never waits on the sink, and a sink stalled in another write would hold it. An event the sink did not
     * take in time is printed on stderr.
     */
    void writeNow(String json) {
        if (writer == null) {
            // before start() no sink thread will take it: written here, within the same bound
            try {
                sink.write(List.of(json), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MILLIS));
            } catch (Throwable e) {
                stderr("inlay: " + sink.describe() + " did not take the kill event (" + e + "): " + json);
            }
            return;
        }
        CountDownLatch written = new CountDownLatch(1);
        urgentWritten = written;
        urgent = json;
        if (!out.offerFirst(json)) {
            unqueued(out.pollLast());
            if (!out.offerFirst(json)) {
                stderr("inlay: the sink's queue is full; the kill event: " + json);
                return;
            }
        }
        queued(json);
        boolean done = false;
        try {
            done = written.await(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!done) {
            stderr("inlay: " + sink.describe() + " did not take the kill event within " + KILL_WAIT_MILLIS + " ms: "
                    + json);
        }
    }

    /** Lines never handed to the sink (full queues, lines over 8 KiB). */
    long dropped() {
        return dropped.get();
    }

    /** Lines the sink failed to take. */
    long sinkLost() {
        return sinkLost.get();
    }

    /** Batches the sink failed to take. */
    long sinkFailures() {
        return sinkFailures.get();
    }

    private void loop(Object agentKey) {
        Inlay.ownThread(agentKey);
        while (running) {
            try {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                List<String> lines = new ArrayList<>();
                if (first != null) take(first, lines);
                Object next;
                while ((next = queue.poll()) != null) take(next, lines);
                long now = System.currentTimeMillis();
                closeDue(now, false, lines);
                emit(lines);
                runTasks(now, false);
            } catch (InterruptedException e) {
                break;
            } catch (Throwable t) {
                sinkFailures.incrementAndGet();
            }
        }
    }

    private void take(Object item, List<String> lines) {
        if (item instanceof String s) lines.add(s);
        else waiting.add((Aggregate) item);
    }

    private void closeDue(long now, boolean all, List<String> lines) {
        while (!waiting.isEmpty() && (all || waiting.peek().firstMillis + windowMillis <= now)) {
            Aggregate a = waiting.poll();
            open.remove(a.key, a);
            long count = a.close();
            lines.add(a.render.apply(count));
        }
    }

    private void runTasks(long now, boolean atShutdown) {
        List<ScheduledTask> copy;
        synchronized (tasks) {
            copy = new ArrayList<>(tasks);
        }
        for (ScheduledTask t : copy) {
            if (!atShutdown && now < t.next) continue;
            t.next = now + t.periodMillis;
            try {
                emit(t.task.run(atShutdown));
            } catch (Throwable e) {
                sinkFailures.incrementAndGet();
            }
        }
        long d = dropped.get();
        if (dropStatus != null && d != droppedReported) {
            droppedReported = d;
            emit(List.of(dropStatus.apply(d)));
        }
    }

    /** Hands lines to the sink thread; never waits. A line that does not fit a line or the queue is dropped. */
    private void emit(List<String> lines) {
        if (lines == null || lines.isEmpty()) return;
        for (String line : lines) {
            if (line.length() * 3 > MAX_LINE_BYTES && line.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
                dropped.incrementAndGet();
            } else if (queuedChars.get() + line.length() <= MAX_QUEUED_CHARS && out.offerLast(line)) {
                queued(line);
            } else {
                dropped.incrementAndGet();
            }
        }
    }

    private void queued(String line) {
        pending.incrementAndGet();
        queuedChars.addAndGet(line.length());
    }

    /** A line taken back out of the sink's queue to make room: dropped. */
    private void unqueued(String line) {
        if (line == null) return;
        dropped.incrementAndGet();
        pending.decrementAndGet();
        queuedChars.addAndGet(-line.length());
    }

    /** The sink thread: batches of queued lines, each write bounded by the sink's own deadline. */
    private void writeLoop() {
        List<String> batch = new ArrayList<>();
        for (; ; ) {
            try {
                // poll, not take(): on JDK 17 an untimed wait sets up ForkJoinPool (managedBlock) before main()
                String first = out.poll(1, TimeUnit.SECONDS);
                if (first == null) continue;
                batch.clear();
                batch.add(first);
                out.drainTo(batch, MAX_BATCH_LINES - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                sinkFailures.incrementAndGet();
            }
        }
    }

    private void writeBatch(List<String> batch) {
        try {
            sink.write(batch, finalDeadlineNanos);
        } catch (Throwable e) {
            sinkLost.addAndGet(batch.size());
            sinkFailures.incrementAndGet();
            lastSinkError = String.valueOf(e);
            reportLoss(false);
        } finally {
            String u = urgent;
            if (u != null) {
                for (String line : batch) {
                    if (line == u) {
                        urgent = null;
                        urgentWritten.countDown();
                        break;
                    }
                }
            }
            pending.addAndGet(-batch.size());
            long chars = 0;
            for (String line : batch) chars += line.length();
            queuedChars.addAndGet(-chars);
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * The last resort when the sink fails: a line on stderr, at the first loss and then at most every 30 s (and at
     * exit), since the status lines that count the loss go to the failing sink too.
     */
    private void reportLoss(boolean atExit) {
        long lost = sinkLost.get();
        long now = System.currentTimeMillis();
        synchronized (progress) {
            if (lost == stderrLostReported) return;
            if (!atExit && stderrReportedAt != 0 && now - stderrReportedAt < STDERR_EVERY_MILLIS) return;
            stderrReportedAt = now;
            stderrLostReported = lost;
        }
        stderr("inlay: sink " + sink.describe() + " failed (" + lastSinkError + "): " + lost + " lines lost, "
                + dropped.get() + " dropped so far");
    }

    private void stderr(String message) {
        try {
            stderr.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (Throwable ignored) {
            // nothing left to tell
        }
    }

    /**
     * Stops the thread and hands everything still pending to the sink, then the tasks' final output, and waits for
     * the sink at most {@code timeoutMillis}: what it has not taken by then is lost, and said so on stderr.
     */
    void close(List<String> finalLines, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        finalDeadlineNanos = deadline;
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Math.max(1, timeoutMillis / 4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> lines = new ArrayList<>();
        Object next;
        while ((next = queue.poll()) != null) take(next, lines);
        closeDue(0, true, lines);
        emit(lines);
        runTasks(System.currentTimeMillis(), true);
        // The last lines (the final snapshot, the stopped status) matter most: room is made by dropping the oldest.
        for (String line : finalLines) {
            while (!out.offerLast(line)) unqueued(out.pollFirst());
            queued(line);
        }
        if (writer == null) {
            // never started (a JVM exiting during startup): written here, with the same deadline
            List<String> rest = new ArrayList<>();
            out.drainTo(rest);
            if (!rest.isEmpty()) writeBatch(rest);
        }
        synchronized (progress) {
            long left;
            while (pending.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long unwritten = Math.max(0, pending.get());
        if (unwritten > 0) {
            String last = finalLines.isEmpty() ? "" : " The last: " + finalLines.get(finalLines.size() - 1);
            stderr("inlay: sink " + sink.describe() + " did not take " + unwritten + " lines within " + timeoutMillis
                    + " ms at exit (" + (lastSinkError == null ? "no answer" : lastSinkError) + ")." + last);
        } else {
            reportLoss(true);
        }
    }
}
