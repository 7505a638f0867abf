package io.servletsse.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The service ({@code GET /}: ListBuckets) and bucket requests: PUT (create, idempotent), GET
 * (ListObjects v1 and v2, {@code ?bucketInfo}, {@code ?location}, {@code ?acl}), DELETE (empty
 * buckets only), POST {@code ?delete} (DeleteObjects). Other sub-resources answer 501: this file service has no ACLs, lifecycle,
 * encryption and so on, and saying so beats silently listing or creating the bucket.
 */
final class BucketOperations {
    private static final Set<String> LIST_PARAMS = Set.of("prefix", "marker", "max-keys", "delimiter", "encoding-type",
            "list-type", "continuation-token", "start-after", "fetch-owner");
    private static final String OWNER_ID = "servlet-sse-sample";

    private final ObjectStore store;
    private final DeleteObjects deleteObjects;
    private final PostObject postObject;

    BucketOperations(ObjectStore store) {
        this.store = store;
        this.deleteObjects = new DeleteObjects(store);
        this.postObject = new PostObject(store);
    }

    void handleService(HttpServletRequest req, HttpServletResponse resp, Query query) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            throw ServiceError.methodNotAllowed();
        }
        String prefix = query.get("prefix", "");
        Xml xml = new Xml().open("ListAllMyBucketsResult").element("Prefix", prefix);
        owner(xml).open("Buckets");
        for (ObjectStore.Bucket b : store.buckets()) {
            if (b.name().startsWith(prefix)) {
                bucketFields(xml.open("Bucket"), b).close("Bucket");
            }
        }
        sendXml(resp, xml.close("Buckets").close("ListAllMyBucketsResult"));
    }

    void handle(HttpServletRequest req, HttpServletResponse resp, ObjectPath path, Query query) throws IOException {
        String bucket = path.bucket();
        String subResource = subResource(query);
        switch (req.getMethod()) {
            case "PUT" -> {
                requireNone(subResource);
                store.createBucket(bucket);
                resp.setStatus(HttpServletResponse.SC_OK);
                resp.setContentLength(0);
            }
            case "DELETE" -> {
                requireNone(subResource);
                store.deleteBucket(bucket);
                resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            case "GET" -> get(resp, bucket, subResource, query);
            case "POST" -> {
                if (subResource == null && PostObject.isForm(req)) {
                    postObject.handle(req, resp, bucket); // a browser upload form
                    return;
                }
                if (!"delete".equals(subResource)) {
                    throw subResource == null ? ServiceError.methodNotAllowed()
                            : ServiceError.notImplemented("The sub-resource '" + subResource + "'");
                }
                store.bucket(bucket); // NoSuchBucket before reading the body
                deleteObjects.handle(req, resp, bucket, query);
            }
            default -> throw ServiceError.methodNotAllowed();
        }
    }

    private void get(HttpServletResponse resp, String bucket, String subResource, Query query) throws IOException {
        if (subResource == null) {
            sendXml(resp, list(bucket, query));
            return;
        }
        ObjectStore.Bucket b = store.bucket(bucket);
        switch (subResource) {
            case "bucketInfo" -> {
                Xml xml = bucketFields(new Xml().open("BucketInfo").open("Bucket"), b);
                owner(xml).open("AccessControlList").element("Grant", "private").close("AccessControlList");
                sendXml(resp, xml.close("Bucket").close("BucketInfo"));
            }
            case "location" -> sendXml(resp, new Xml().element("LocationConstraint", "oss-local"));
            case "acl" -> sendXml(resp, owner(new Xml().open("AccessControlPolicy"))
                    .open("AccessControlList").element("Grant", "private").close("AccessControlList")
                    .close("AccessControlPolicy"));
            default -> throw ServiceError.notImplemented("The sub-resource '" + subResource + "'");
        }
    }

    /** ListObjects (v1, marker based) or, with {@code list-type=2}, ListObjectsV2 (continuation tokens). */
    private Xml list(String bucket, Query q) throws IOException {
        boolean v2 = "2".equals(q.get("list-type"));
        String prefix = q.get("prefix", "");
        String delimiter = q.get("delimiter", "");
        boolean url = "url".equals(q.get("encoding-type"));
        UnaryOperator<String> enc = url ? Listing::urlEncode : UnaryOperator.identity();
        int maxKeys = Listing.maxKeys(q.get("max-keys"));
        String after = v2 ? q.get("continuation-token", q.get("start-after", "")) : q.get("marker", "");
        List<String> keys = store.keys(bucket, prefix);
        Listing page = Listing.page(keys, prefix, delimiter, after, maxKeys);

        Xml xml = new Xml().open("ListBucketResult").element("Name", bucket).element("Prefix", enc.apply(prefix));
        if (v2) {
            xml.element("StartAfter", enc.apply(q.get("start-after", "")));
            if (q.has("continuation-token")) {
                xml.element("ContinuationToken", q.get("continuation-token"));
            }
        } else {
            xml.element("Marker", enc.apply(after));
        }
        xml.element("MaxKeys", maxKeys).element("Delimiter", enc.apply(delimiter)).element("IsTruncated", page.truncated);
        if (url) {
            xml.element("EncodingType", "url");
        }
        if (page.truncated) {
            xml.element(v2 ? "NextContinuationToken" : "NextMarker", v2 ? page.nextMarker : enc.apply(page.nextMarker));
        }
        if (v2) {
            xml.element("KeyCount", page.keys.size() + page.commonPrefixes.size());
        }
        boolean withOwner = !v2 || "true".equals(q.get("fetch-owner"));
        for (String key : page.keys) {
            StoredObject o;
            try {
                o = store.get(new ObjectPath(bucket, key, List.of(key.split("/"))));
            } catch (ServiceError deletedMeanwhile) {
                continue;
            }
            xml.open("Contents").element("Key", enc.apply(key)).element("LastModified", HttpDates.xml(o.lastModified()))
                    .element("ETag", o.quotedEtag()).element("Type", "Normal").element("Size", o.size())
                    .element("StorageClass", "Standard");
            if (withOwner) {
                owner(xml);
            }
            xml.close("Contents");
        }
        for (String p : page.commonPrefixes) {
            xml.open("CommonPrefixes").element("Prefix", enc.apply(p)).close("CommonPrefixes");
        }
        return xml.close("ListBucketResult");
    }

    private static Xml bucketFields(Xml xml, ObjectStore.Bucket b) {
        return xml.element("Name", b.name()).element("CreationDate", HttpDates.xml(b.created()))
                .element("Location", "oss-local").element("ExtranetEndpoint", "localhost")
                .element("IntranetEndpoint", "localhost").element("Region", "local").element("StorageClass", "Standard");
    }

    private static Xml owner(Xml xml) {
        return xml.open("Owner").element("ID", OWNER_ID).element("DisplayName", OWNER_ID).close("Owner");
    }

    /** The first query parameter that is neither a listing parameter nor part of a presigned URL. */
    private static String subResource(Query query) {
        for (String name : query.params().keySet()) {
            if (!LIST_PARAMS.contains(name) && !Query.isSigning(name)) {
                return name;
            }
        }
        return null;
    }

    private static void requireNone(String subResource) {
        if (subResource != null) {
            throw ServiceError.notImplemented("The sub-resource '" + subResource + "'");
        }
    }

    private static void sendXml(HttpServletResponse resp, Xml xml) throws IOException {
        byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("application/xml");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
