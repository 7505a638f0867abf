package io.servletsse.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A response whose status, stored-bytes headers (Content-Length, Content-Range, ETag, checksums)
 * and first body bytes are held back until a {@link Decision} has seen them: then the response is
 * either passed through as the app made it (an object stored before encryption was enabled, an
 * error, a 304) or transformed (an encrypted object: corrected headers, decrypted body). Nothing
 * reaches the client before that decision, so a key or permission failure still gets a clean OSS
 * error. The state machine follows Jetty's GzipResponseAndCallback.
 */
final class DeferredResponse extends HttpServletResponseWrapper {
    /** Looks at what the app produced and says what to do with it. */
    interface Decision {
        /**
         * @param prefix   the first body bytes ({@code len} of them; all of them if {@code complete})
         * @param complete the app has finished its response
         * @param real     the client's response (not yet committed): a TRANSFORM or DISCARD outcome sets its status and headers
         */
        Outcome decide(int status, HeldHeaders held, byte[] prefix, int len, boolean complete, HttpServletResponse real)
                throws IOException;
    }

    /** What a {@link Decision} decided. */
    record Outcome(Kind kind, OutputStream stream, int prefixOffset) {
        enum Kind { PASSTHROUGH, WAIT, TRANSFORM, DISCARD }

        static final Outcome PASSTHROUGH = new Outcome(Kind.PASSTHROUGH, null, 0);
        static final Outcome WAIT = new Outcome(Kind.WAIT, null, 0);
        static final Outcome DISCARD = new Outcome(Kind.DISCARD, null, 0);

        /** Feed the body from {@code prefix[offset]} on into {@code stream}. */
        static Outcome transform(OutputStream stream, int offset) {
            return new Outcome(Kind.TRANSFORM, stream, offset);
        }
    }

    private enum State { HOLDING, PASSTHROUGH, TRANSFORM, DISCARD }

    private static final byte[] NOTHING_HELD = new byte[0];

    private final Decision decision;
    private final int holdLimit;
    private final HeldHeaders held = new HeldHeaders();
    private State state = State.HOLDING;
    private int status = SC_OK;
    private byte[] buffer;
    private int buffered;
    private OutputStream target;
    private ServletOutputStream facade;
    private PrintWriter writer;

    /** Holds at most {@code holdLimit} body bytes before the decision must be made. */
    DeferredResponse(HttpServletResponse response, Decision decision, int holdLimit) {
        super(response);
        this.decision = decision;
        this.holdLimit = holdLimit;
        this.buffer = NOTHING_HELD; // sized by the first write: a 4 KiB body is one allocation, not two and a copy
    }

    private HttpServletResponse real() {
        return (HttpServletResponse) getResponse();
    }

    /** Whether the body is being decrypted (as opposed to passed through or replaced by an error). */
    boolean transforming() {
        return state == State.TRANSFORM;
    }

    /**
     * Whether the stored object failed authentication while nothing had reached the client yet: the
     * filter can still answer an OSS error instead of aborting the connection.
     */
    boolean failedBeforeSending() {
        return target instanceof DecryptingOutputStream d && d.failed() && !super.isCommitted();
    }

    // ---- status and headers ------------------------------------------------------------------

    @Override
    public void setStatus(int sc) {
        if (state == State.HOLDING) {
            status = sc;
        } else if (state == State.PASSTHROUGH) {
            super.setStatus(sc);
        }
    }

    @Override
    public int getStatus() {
        return state == State.HOLDING ? status : super.getStatus();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (state == State.HOLDING) {
            held.clear();
            state = State.PASSTHROUGH; // an error page is the app's, not an object
        }
        if (state == State.PASSTHROUGH) {
            super.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        if (state == State.HOLDING) {
            held.clear();
            state = State.PASSTHROUGH;
        }
        if (state == State.PASSTHROUGH) {
            super.sendRedirect(location);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (hold(name)) {
            if (value == null) {
                held.remove(name);
            } else {
                held.set(name, value);
            }
        } else if (forward(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (hold(name)) {
            held.add(name, value);
        } else if (forward(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (hold(name)) {
            held.set(name, HttpDates.format(date));
        } else if (forward(name)) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (hold(name)) {
            held.add(name, HttpDates.format(date));
        } else if (forward(name)) {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        if (state == State.HOLDING) {
            if (len < 0) {
                held.remove(OssHeaders.CONTENT_LENGTH);
            } else {
                held.set(OssHeaders.CONTENT_LENGTH, Long.toString(len));
            }
        } else if (state == State.PASSTHROUGH) {
            super.setContentLengthLong(len);
        }
    }

    @Override
    public boolean containsHeader(String name) {
        return (state == State.HOLDING && held.contains(name)) || super.containsHeader(name);
    }

    @Override
    public String getHeader(String name) {
        if (state == State.HOLDING && OssHeaders.describesStoredBytes(name)) {
            return held.get(name);
        }
        return super.getHeader(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        if (state == State.HOLDING && OssHeaders.describesStoredBytes(name)) {
            return held.getAll(name);
        }
        return super.getHeaders(name);
    }

    @Override
    public Collection<String> getHeaderNames() {
        if (state != State.HOLDING) {
            return super.getHeaderNames();
        }
        LinkedHashSet<String> all = new LinkedHashSet<>(super.getHeaderNames());
        all.addAll(held.names());
        return new ArrayList<>(all);
    }

    private boolean hold(String name) {
        return state == State.HOLDING && OssHeaders.describesStoredBytes(name);
    }

    /** Once transformed, the app's stored-bytes headers are dropped: the filter has set its own. */
    private boolean forward(String name) {
        return state == State.PASSTHROUGH || state == State.HOLDING
                || (state == State.TRANSFORM && !OssHeaders.describesStoredBytes(name));
    }

    // ---- commit and buffer -------------------------------------------------------------------

    @Override
    public boolean isCommitted() {
        return state != State.HOLDING && super.isCommitted();
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (state == State.PASSTHROUGH) {
            super.flushBuffer();
        } else if (state == State.TRANSFORM) {
            target.flush();
        }
        // HOLDING: nothing may reach the client yet.
    }

    @Override
    public void reset() {
        if (failedBeforeSending()) {
            // The app answers the failed decryption with an error of its own: swallowed, the filter answers OSS's.
            state = State.DISCARD;
            return;
        }
        if (state == State.TRANSFORM || state == State.DISCARD) {
            throw new IllegalStateException("servlet-sse: the response body is already being transformed");
        }
        super.reset();
        held.clear();
        status = SC_OK;
        buffered = 0;
        state = State.HOLDING;
        writer = null;
        facade = null;
    }

    @Override
    public void resetBuffer() {
        if (state == State.HOLDING) {
            buffered = 0;
        } else if (state == State.PASSTHROUGH) {
            super.resetBuffer();
        } else {
            throw new IllegalStateException("servlet-sse: the response body is already being transformed");
        }
    }

    // ---- body ------------------------------------------------------------------------------

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (facade == null) {
            facade = Streams.servletOutput(new Body());
        }
        return facade;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            if (facade != null) {
                throw new IllegalStateException("getOutputStream() has already been called");
            }
            String enc = getCharacterEncoding();
            Charset cs = Charset.forName(enc == null ? "ISO-8859-1" : enc);
            writer = new PrintWriter(new OutputStreamWriter(new Body(), cs));
        }
        return writer;
    }

    /**
     * Completes the response after the app returned: makes the decision if the body was short or
     * empty, and closes the transform (which authenticates the final segment). Throws if the stored
     * object failed authentication after the response was committed: the caller must let the
     * exception escape so the container aborts the connection instead of completing the body.
     */
    void finish() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (state == State.HOLDING) {
            decide(true);
        }
        if (state == State.TRANSFORM) {
            target.close();
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        switch (state) {
            case HOLDING -> {
                int room = holdLimit - buffered;
                int n = Math.min(room, len);
                ensureCapacity(buffered + n);
                System.arraycopy(b, off, buffer, buffered, n);
                buffered += n;
                decide(false);
                if (len > n) {
                    write(b, off + n, len - n);
                }
            }
            case PASSTHROUGH -> real().getOutputStream().write(b, off, len);
            case TRANSFORM -> target.write(b, off, len);
            case DISCARD -> { }
        }
    }

    private void ensureCapacity(int n) {
        if (n > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(holdLimit, Math.max(n, Math.max(1024, buffer.length * 2))));
        }
    }

    private void decide(boolean complete) throws IOException {
        boolean full = buffered >= holdLimit;
        Outcome o = decision.decide(status, held, buffer, buffered, complete || full, real());
        switch (o.kind()) {
            case WAIT -> {
                if (complete || full) {
                    throw new IllegalStateException("decision must not wait once the body is complete");
                }
            }
            case PASSTHROUGH -> {
                state = State.PASSTHROUGH;
                real().setStatus(status);
                held.replay(real());
                held.clear();
                if (buffered > 0) {
                    real().getOutputStream().write(buffer, 0, buffered);
                }
                release();
            }
            case TRANSFORM -> {
                state = State.TRANSFORM;
                target = o.stream();
                held.clear();
                if (buffered > o.prefixOffset()) {
                    target.write(buffer, o.prefixOffset(), buffered - o.prefixOffset());
                }
                release();
            }
            case DISCARD -> {
                state = State.DISCARD;
                held.clear();
                release();
            }
        }
    }

    private void release() {
        buffer = NOTHING_HELD;
        buffered = 0;
    }

    /** The app's body stream: everything goes through {@link #write(byte[], int, int)}. */
    private final class Body extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            DeferredResponse.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            DeferredResponse.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (state == State.PASSTHROUGH) {
                real().getOutputStream().flush();
            } else if (state == State.TRANSFORM) {
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            flush(); // the filter completes the body in finish(), after the app returns
        }
    }

}
