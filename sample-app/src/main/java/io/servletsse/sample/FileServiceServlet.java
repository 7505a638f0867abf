package io.servletsse.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole file service behind one servlet mapped to {@code /*}: it names what the path points
 * at (service, bucket, object), hands over to the operations, and turns every failure into an
 * OSS XML error. It knows nothing of encryption: it stores and serves the bytes it receives.
 */
final class FileServiceServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FileServiceServlet.class);

    private final transient BucketOperations buckets;
    private final transient ObjectOperations objects;

    FileServiceServlet(ObjectStore store) {
        this.buckets = new BucketOperations(store);
        this.objects = new ObjectOperations(store);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String requestId = RequestIds.next();
        resp.setHeader(RequestIds.HEADER, requestId);
        try {
            // The raw path, not getPathInfo(): the checks must see %2F and dot segments as sent.
            ObjectPath path = ObjectPath.parse(req.getRequestURI().substring(req.getContextPath().length()));
            Query query = Query.parse(req.getQueryString());
            if (path.isService()) {
                buckets.handleService(req, resp, query);
            } else if (path.isBucket()) {
                buckets.handle(req, resp, path, query);
            } else {
                objects.handle(req, resp, path, query);
            }
        } catch (ServiceError e) {
            ErrorResponses.send(req, resp, requestId, e);
        } catch (IOException | RuntimeException e) {
            if (resp.isCommitted()) {
                throw e; // mid-body (often the client went away): only aborting the connection is honest
            }
            LOG.warn("{} {} failed (request {})", req.getMethod(), req.getRequestURI(), requestId, e);
            ErrorResponses.send(req, resp, requestId,
                    new ServiceError(500, "InternalError", "We encountered an internal error. Please try again."));
        }
    }
}
