package dev.inlay.examples.docservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Documents as files under {@code DATA/docs}, their metadata in an embedded H2 database under {@code DATA/db}. */
final class DocumentStore implements AutoCloseable {
    /** Names accepted for new documents; reading does not check it, which is the path traversal bug. */
    static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    record Metadata(String name, String title, long size, String sha256, String tags) {}

    private final Path docs;
    private final Connection db;

    DocumentStore(Path dataDir) throws IOException, SQLException {
        this.docs = dataDir.resolve("docs");
        Files.createDirectories(docs);
        Files.createDirectories(dataDir.resolve("db"));
        this.db = DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("db/docs").toAbsolutePath(), "sa", "");
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS documents (name VARCHAR(100) PRIMARY KEY, title VARCHAR(200), "
                    + "body CLOB, size BIGINT, sha256 VARCHAR(64), tags VARCHAR(400), "
                    + "updated TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
        }
    }

    Path docsDir() {
        return docs;
    }

    synchronized void put(String name, String title, String body, String sha256, String tags) throws SQLException {
        try (PreparedStatement p =
                db.prepareStatement("MERGE INTO documents (name, title, body, size, sha256, tags, updated) KEY (name) "
                        + "VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            p.setString(1, name);
            p.setString(2, title);
            p.setString(3, body);
            p.setLong(4, body.getBytes(StandardCharsets.UTF_8).length);
            p.setString(5, sha256);
            p.setString(6, tags);
            p.executeUpdate();
        }
    }

    void writeFile(String name, String body) throws IOException {
        Files.writeString(docs.resolve(name), body, StandardCharsets.UTF_8);
    }

    /** Reads {@code docs/NAME}. The name is concatenated, not normalized: {@code ../../etc/passwd} escapes. */
    byte[] readFile(String name) throws IOException {
        try {
            return Files.readAllBytes(Path.of(docs + "/" + name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Sorted by a column the client names. ORDER BY takes no parameters, so it is concatenated, unchecked: any SQL
     * expression runs, H2's file functions included ({@code FILE_WRITE}, as the database's admin user).
     */
    synchronized List<Metadata> list(String sortColumn) throws SQLException {
        return query("SELECT name, title, size, sha256, tags FROM documents ORDER BY " + sortColumn, null);
    }

    synchronized List<Metadata> search(String text) throws SQLException {
        return query(
                "SELECT name, title, size, sha256, tags FROM documents "
                        + "WHERE LOWER(body) LIKE ? OR LOWER(title) LIKE ? ORDER BY name",
                "%" + text.toLowerCase() + "%");
    }

    private List<Metadata> query(String sql, String like) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (like != null) {
                p.setString(1, like);
                p.setString(2, like);
            }
            List<Metadata> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Metadata(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getString(5)));
                }
            }
            return out;
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}
