package io.servletsse.servlet;

import jakarta.servlet.FilterChain;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app behind a filter chain, callable more than once. The exchange calls the app twice for a
 * Range GET and for some HEADs (a probe of the object header, then the read). Jetty's chains are
 * immutable, so a second {@code doFilter} runs the rest of the chain again. Tomcat's
 * {@code ApplicationFilterChain} keeps a position that the first call advanced to its end, so a
 * second call would run the servlet alone and skip every filter after ours: their response
 * headers (CORS, caching) would be missing from the read, and a servlet that needs what a filter
 * sets up (a security context) would fail. So each call after the first puts the position back
 * where it was when the chain was handed to us.
 */
public final class ChainRewind {
    private static final Logger LOG = LoggerFactory.getLogger(ChainRewind.class);
    private static final String TOMCAT_CHAIN = "org.apache.catalina.core.ApplicationFilterChain";

    /**
     * The position field of Tomcat's chain class, or null for every other class (or if it cannot be
     * reached, said once per chain class: computed once per class).
     */
    private static final ClassValue<Field> POSITION = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            if (!TOMCAT_CHAIN.equals(type.getName())) {
                return null;
            }
            try {
                Field pos = type.getDeclaredField("pos");
                if (pos.getType() != int.class) {
                    return cannotRewind(type, "its field pos is a " + pos.getType().getName() + ", not an int");
                }
                pos.setAccessible(true);
                return pos;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return cannotRewind(type, e.toString()); // another Tomcat, or a module that does not open it
            }
        }
    };

    private ChainRewind() {}

    private static Field cannotRewind(Class<?> type, String why) {
        LOG.warn("servlet-sse cannot rewind {} ({}): on the second app call of a Range GET or plaintext HEAD the "
                + "filters after servlet-sse are skipped; register servlet-sse last, or open the class to it", type.getName(), why);
        return null;
    }

    /**
     * {@code call} (which goes down {@code chain}) as an app whose every call starts where
     * {@code chain} stands now: for Tomcat's chain its position is put back before each call.
     */
    public static Exchange.App around(FilterChain chain, Exchange.App call) {
        Field pos = POSITION.get(chain.getClass());
        if (pos == null) {
            return call;
        }
        int start;
        try {
            start = pos.getInt(chain);
        } catch (IllegalAccessException e) {
            return call;
        }
        return (rq, rs) -> {
            try {
                pos.setInt(chain, start);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot rewind " + TOMCAT_CHAIN, e);
            }
            call.call(rq, rs);
        };
    }
}
