package io.pessimism.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request of the REST fuzz test, as the bytes that go on the wire.
 *
 * @param kind       what the request was generated as ({@code create}, {@code watch}, {@code path}, …)
 * @param method     the request method, sent as given
 * @param target     the request target, raw bytes (may be invalid UTF-8 or %-encoded)
 * @param headers    header lines without CRLF, raw bytes
 * @param body       the body, or null for none
 * @param chunked    sent with {@code Transfer-Encoding: chunked} instead of a Content-Length
 * @param shouldPass a valid request a working service accepts (2xx)
 */
record FuzzRequest(String kind, String method, byte[] target, List<byte[]> headers, byte[] body, boolean chunked,
        boolean shouldPass) {

    /** The request on the wire, closing the connection after the answer. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(method.getBytes(StandardCharsets.ISO_8859_1));
        out.write(' ');
        out.writeBytes(target);
        out.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] header : headers) {
            out.writeBytes(header);
            out.writeBytes(CRLF);
        }
        if (body != null && chunked) {
            out.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int at = 0; at < body.length; at += 4096) {
                int length = Math.min(4096, body.length - at);
                out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, length);
                out.writeBytes(CRLF);
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (body != null) {
            out.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
        } else {
            out.writeBytes(CRLF);
        }
        return out.toByteArray();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Readable enough to replay by hand: non-printable bytes escaped, long parts cut. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind).append(shouldPass ? " (valid)" : "").append(": ")
                .append(escape(method.getBytes(StandardCharsets.ISO_8859_1), 200)).append(' ')
                .append(escape(target, 300));
        for (byte[] header : headers.subList(0, Math.min(headers.size(), 8))) {
            text.append("\n  ").append(escape(header, 200));
        }
        if (headers.size() > 8) {
            text.append("\n  …and ").append(headers.size() - 8).append(" more header lines");
        }
        if (body != null) {
            text.append("\n  body (").append(body.length).append(" bytes").append(chunked ? ", chunked" : "")
                    .append("): ").append(escape(body, 600));
        }
        return text.toString();
    }

    private static String escape(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            int b = bytes[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b));
        }
        return bytes.length > max ? text + "…(" + bytes.length + " bytes)" : text.toString();
    }
}
