package io.servletsse.format;

import java.io.IOException;

/**
 * Sees an object's plaintext one segment at a time, in order, as the encrypting stream seals it:
 * for digests of the plaintext (the upload's CRC-64, its Content-MD5). The stream lends its own
 * segment buffer instead of copying it, so an observer may keep reading a segment on another thread
 * while the stream reads and seals the next one; the buffer then stays untouched until
 * {@link #release} returns.
 *
 * <p>Contract of the encrypting stream towards an observer:
 * <ul>
 *   <li>{@link #segment} is called once per segment, in order, before the segment is sealed; with
 *       {@code last} for the final one (also for the single, possibly empty, segment of a small
 *       object). After a failure no further segment is passed.
 *   <li>The stream calls {@link #release} for a buffer before it refills, grows or wipes it, and
 *       refills a buffer only {@link #buffers()} segments after it lent it.
 * </ul>
 */
public interface PlaintextObserver {
    /**
     * {@code buf[0, length)} is the next plaintext segment, about to be sealed. It stays unchanged
     * until {@code release(buf)} returns. When {@code last}, the observer must have seen every
     * segment to the end before it returns, and may refuse the plaintext by throwing: the final
     * segment is then never sealed, so the reader never gets the object complete. A failure of work
     * done on an earlier segment is thrown from here.
     */
    void segment(byte[] buf, int length, boolean last) throws IOException;

    /**
     * Returns once no work of this observer reads {@code buf} any more. Does not report failures
     * (the next {@link #segment} does): the stream calls it before wiping, also when failing.
     */
    void release(byte[] buf);

    /**
     * How many plaintext buffers the stream keeps in turn, at least 2 (the segment being sealed and
     * the one read ahead): a segment's buffer is refilled that many segments later. An observer that
     * hands segments to another thread in batches of {@code b} asks for {@code 2 b}, so that the
     * stream fills and seals one batch while the observer still reads the previous one.
     */
    default int buffers() {
        return 2;
    }

    /** Observes nothing. */
    PlaintextObserver NONE = new PlaintextObserver() {
        @Override
        public void segment(byte[] buf, int length, boolean last) {}

        @Override
        public void release(byte[] buf) {}
    };
}
