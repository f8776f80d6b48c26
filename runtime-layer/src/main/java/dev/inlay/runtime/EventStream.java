package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's output. Application threads only touch a bounded queue and a map of open aggregates; one daemon thread
 * writes to the sink, so an application thread never waits on it. Repeats of one event within the window are folded
 * into the first one's count. The same thread runs the agent's periodic work (profile snapshots, hit counts, policy
 * reloads).
 */
final class EventStream {
    static final int MAX_LINE_BYTES = 8192;

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
            for (;;) {
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
    private final ConcurrentHashMap<String, Aggregate> open = new ConcurrentHashMap<>();
    private final ArrayDeque<Aggregate> waiting = new ArrayDeque<>();
    private final List<ScheduledTask> tasks = new ArrayList<>();
    // AtomicLong, not LongAdder: rare updates, and LongAdder's VarHandles cost milliseconds to set up before main().
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final Object writeLock = new Object();
    private volatile boolean running = true;
    private Thread thread;
    private long droppedReported;
    private Function<Long, String> dropStatus;

    EventStream(Sink sink, long windowMillis, int capacity) {
        this.sink = sink;
        this.windowMillis = windowMillis;
        this.queue = new ArrayBlockingQueue<>(capacity);
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
        thread = new Thread("inlay-events") { // not a method reference: no class spun during startup
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
        for (;;) {
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

    /** Writes an event at once, bypassing the queue: for {@code kill}, right before the JVM halts. */
    void writeNow(String json) {
        write(List.of(json));
    }

    long dropped() {
        return dropped.get();
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
                write(lines);
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
                write(t.task.run(atShutdown));
            } catch (Throwable e) {
                sinkFailures.incrementAndGet();
            }
        }
        long d = dropped.get();
        if (dropStatus != null && d != droppedReported) {
            droppedReported = d;
            write(List.of(dropStatus.apply(d)));
        }
    }

    private void write(List<String> lines) {
        if (lines == null || lines.isEmpty()) return;
        List<String> fitting = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (line.length() * 3 <= MAX_LINE_BYTES || line.getBytes(StandardCharsets.UTF_8).length <= MAX_LINE_BYTES) {
                fitting.add(line);
            } else {
                dropped.incrementAndGet();
            }
        }
        synchronized (writeLock) {
            try {
                sink.write(fitting);
            } catch (Throwable e) {
                dropped.addAndGet(fitting.size());
                sinkFailures.incrementAndGet();
            }
        }
    }

    /** Stops the thread and writes everything still pending, then the tasks' final output. */
    void close(List<String> finalLines) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> lines = new ArrayList<>();
        Object next;
        while ((next = queue.poll()) != null) take(next, lines);
        closeDue(0, true, lines);
        write(lines);
        runTasks(System.currentTimeMillis(), true);
        write(finalLines);
    }
}
