package org.vheap.client;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The request headers of vheap calls, defined once for every client, the heap server and the gateway.
 * <ul>
 * <li>{@code vheap-app}: the app a call is for. The gateway routes on it (rendezvous hashing), so every call
 *     of one app meets one heap server while that server is up. Calls that name no app (ListApps, the
 *     control plane) go without it.</li>
 * <li>{@code vheap-device}: the device making the call. The gateway limits call rates per device; without
 *     it, per peer address.</li>
 * </ul>
 * Values are percent-encoded UTF-8 ({@link #encode}), so any name travels as printable ASCII. Headers are
 * hints for routing and limits, never authority: the server still checks the app named in each request.
 */
public final class VheapHeaders {
    public static final Metadata.Key<String> APP = Metadata.Key.of("vheap-app", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> DEVICE = Metadata.Key.of("vheap-device", Metadata.ASCII_STRING_MARSHALLER);
    /**
     * The IP address of the client a gateway forwards a call for (set by the gateway, never by clients: a
     * gateway replaces the value of a caller that is not on its own machine). The heap server's protected
     * mode judges a call from the gateway's machine by it.
     */
    public static final Metadata.Key<String> FORWARDED_FOR = Metadata.Key.of("vheap-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

    private VheapHeaders() {
    }

    /**
     * An interceptor adding {@code vheap-app} and {@code vheap-device} to every call; a null or empty value
     * leaves its header out.
     */
    public static ClientInterceptor interceptor(String app, String device) {
        Metadata m = new Metadata();
        if (app != null && !app.isEmpty()) {
            m.put(APP, encode(app));
        }
        if (device != null && !device.isEmpty()) {
            m.put(DEVICE, encode(device));
        }
        return MetadataUtils.newAttachHeadersInterceptor(m);
    }

    /** An interceptor adding {@code vheap-app} only. */
    public static ClientInterceptor forApp(String app) {
        return interceptor(app, null);
    }

    /** An interceptor adding {@code vheap-device} only. */
    public static ClientInterceptor forDevice(String device) {
        return interceptor(null, device);
    }

    /** Percent-encoded UTF-8: printable ASCII, the same for the same name everywhere. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The name a header value stands for; a malformed value comes back as it is. */
    public static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
