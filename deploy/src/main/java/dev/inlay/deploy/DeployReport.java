package dev.inlay.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything one rewrite did, per container and per document, and the human summary of it. */
public final class DeployReport {
    private final String platform;
    private final String source;
    private final boolean check;
    private final List<ContainerReport> containers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Notes and container reports in document order, for the summary. */
    private final List<Object> inOrder = new ArrayList<>();

    DeployReport(String platform, String source, boolean check) {
        this.platform = platform;
        this.source = source;
        this.check = check;
    }

    void add(ContainerReport container) {
        containers.add(container);
        inOrder.add(container);
    }

    /** A document-level remark: an object passed through, a warning about the whole document. */
    void note(String text) {
        notes.add(text);
        inOrder.add(text);
    }

    public List<ContainerReport> containers() {
        return Collections.unmodifiableList(containers);
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    public List<ContainerReport> notWrapped() {
        List<ContainerReport> out = new ArrayList<>();
        for (ContainerReport c : containers) if (c.status() == ContainerReport.Status.NOT_WRAPPED) out.add(c);
        return out;
    }

    public boolean changed() {
        for (ContainerReport c : containers) if (c.changed()) return true;
        return false;
    }

    public int count(ContainerReport.Status status) {
        int n = 0;
        for (ContainerReport c : containers) if (c.status() == status) n++;
        return n;
    }

    /** The {@code --json} shape (docs/CLI.md); {@code document} is the rewritten text when it goes to stdout. */
    public ObjectNode toJson(String document) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("platform", platform);
        root.put("source", source);
        root.put("check", check);
        root.put("changed", changed());
        ArrayNode list = root.putArray("containers");
        for (ContainerReport c : containers) {
            ObjectNode n = list.addObject();
            n.put("where", c.where());
            n.put("name", c.name());
            n.put("status", c.status().name().toLowerCase().replace('_', '-'));
            n.put("imageBefore", c.imageBefore());
            n.put("imageAfter", c.imageAfter());
            if (c.reason() != null) n.put("reason", c.reason());
            ArrayNode changes = n.putArray("changes");
            c.changes().forEach(changes::add);
            ArrayNode warnings = n.putArray("warnings");
            c.warnings().forEach(warnings::add);
        }
        ArrayNode noteList = root.putArray("notes");
        notes.forEach(noteList::add);
        ObjectNode counts = root.putObject("counts");
        for (ContainerReport.Status s : ContainerReport.Status.values()) {
            counts.put(s.name().toLowerCase().replace('_', '-'), count(s));
        }
        int changes = 0;
        for (ContainerReport c : containers) changes += c.changes().size();
        counts.put("changes", changes);
        if (document != null) root.put("document", document);
        return root;
    }

    /** The summary printed on stderr: one block per container, then totals. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("inlay deploy ")
                .append(platform)
                .append(check ? " --check" : "")
                .append(": ")
                .append(source)
                .append('\n');
        for (Object item : inOrder) {
            if (item instanceof String note) {
                sb.append("  ").append(note).append('\n');
                continue;
            }
            ContainerReport c = (ContainerReport) item;
            sb.append("  ").append(c.where()).append(": ");
            switch (c.status()) {
                case WRAPPED -> sb.append("wrapped");
                case ALREADY_WRAPPED ->
                    sb.append("already wrapped (").append(c.imageBefore()).append(')');
                case LEFT_AS_IS ->
                    sb.append("left as is: ")
                            .append(c.imageBefore() == null ? "" : c.imageBefore() + " ")
                            .append(c.reason());
                case SKIPPED -> sb.append("skipped (--skip-container)");
                case NOT_WRAPPED ->
                    sb.append("NOT WRAPPED: ")
                            .append(c.imageBefore() == null ? "" : c.imageBefore() + ": ")
                            .append(c.reason());
            }
            sb.append('\n');
            for (String change : c.changes()) sb.append("      ").append(change).append('\n');
            if (c.status() != ContainerReport.Status.LEFT_AS_IS
                    && c.status() != ContainerReport.Status.SKIPPED
                    && c.status() != ContainerReport.Status.NOT_WRAPPED
                    && !c.changed()) {
                sb.append("      unchanged\n");
            }
            for (String warning : c.warnings())
                sb.append("      warning: ").append(warning).append('\n');
        }
        int changes = 0;
        for (ContainerReport c : containers) changes += c.changes().size();
        sb.append("  ")
                .append(containers.size())
                .append(containers.size() == 1 ? " container: " : " containers: ")
                .append(count(ContainerReport.Status.WRAPPED))
                .append(" wrapped, ")
                .append(count(ContainerReport.Status.ALREADY_WRAPPED))
                .append(" already wrapped, ")
                .append(count(ContainerReport.Status.LEFT_AS_IS) + count(ContainerReport.Status.SKIPPED))
                .append(" left as is");
        if (check)
            sb.append(", ").append(count(ContainerReport.Status.NOT_WRAPPED)).append(" not wrapped");
        sb.append("; ")
                .append(changes)
                .append(changes == 1 ? " change" : " changes")
                .append('\n');
        return sb.toString();
    }
}
