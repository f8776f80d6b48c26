package dev.inlay.policy;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * {@link DataInput} over a byte array, decoded by shifts. What the agent reads before the application's main() (the
 * compiled policy, the hooked classes) goes through this rather than {@link DataInputStream}: from JDK 22 on, the
 * latter's {@code readInt} and kin go through {@code jdk.internal.util.ByteArray}, whose set-up builds six VarHandles
 * that nothing else in a JVM's start needs. Strings keep the JDK's own decoder ({@link DataInputStream#readUTF(DataInput)}).
 */
public final class BigEndianInput implements DataInput {
    private final byte[] bytes;
    private int position;

    public BigEndianInput(byte[] bytes) {
        this.bytes = bytes;
    }

    /** How many bytes are left. */
    public int available() {
        return bytes.length - position;
    }

    /** Where the next read starts. */
    public int position() {
        return position;
    }

    private int next() throws EOFException {
        if (position >= bytes.length) throw new EOFException("at byte " + position);
        return bytes[position++] & 0xff;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        if (len < 0 || len > available()) throw new EOFException(len + " bytes at byte " + position);
        System.arraycopy(bytes, position, b, off, len);
        position += len;
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, available()));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return next() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return (byte) next();
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return next();
    }

    @Override
    public short readShort() throws IOException {
        return (short) readUnsignedShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return (next() << 8) | next();
    }

    @Override
    public char readChar() throws IOException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        return (next() << 24) | (next() << 16) | (next() << 8) | next();
    }

    @Override
    public long readLong() throws IOException {
        return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("binary input has no lines");
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}
