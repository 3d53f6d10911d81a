package io.pessimism.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, one request per connection: sends exactly the bytes it is given
 * (invalid UTF-8 in the path, unregistered methods, oversized or malformed headers — what
 * {@code java.net.http.HttpClient} refuses to send) and reads the answer until the server closes.
 */
final class RawHttp {

    private static final int TIMEOUT_MS = 10_000;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length:\\s*(\\d+)");

    /** An answer; {@code status} -1 when the server closed the connection without one. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        /** A header by its lowercase name, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code request} (it should say {@code Connection: close}) and reads the answer. A server
     * that refuses a request early may close the connection while it is still being written: the
     * answer it sent before is still read. Reading stops at the end of the answer, by its
     * Content-Length or last chunk, as a server may keep the connection open anyway.
     */
    static Response exchange(int port, byte[] request) throws IOException {
        String text = new String(request, 0, Math.min(request.length, 5), StandardCharsets.ISO_8859_1);
        boolean head = text.startsWith("HEAD ");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // the server answered before reading everything (431, 413): read what it said
            }
            return parse(readAll(socket.getInputStream(), head));
        }
    }

    /** Until the server closes, or the answer is complete (a server may keep the connection open anyway). */
    private static byte[] readAll(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
                if (complete(all.toByteArray(), head)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete answer within " + TIMEOUT_MS + " ms; read so far: "
                    + new String(all.toByteArray(), StandardCharsets.ISO_8859_1), e);
        } catch (IOException reset) {
            // a reset after the answer (the server closed with unread request bytes): keep what arrived
        }
        return all.toByteArray();
    }

    /** Headers and the whole body by its Content-Length, or the last chunk, have arrived. */
    private static boolean complete(byte[] raw, boolean head) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        if (head) {
            return true; // an answer to HEAD has no body
        }
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        Matcher length = CONTENT_LENGTH.matcher(headers);
        if (length.find()) {
            return raw.length - end - 4 >= Integer.parseInt(length.group(1));
        }
        return headers.contains("\r\ntransfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (raw.length == 0 || end < 0) {
            return new Response(-1, Map.of(), raw);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(Integer.parseInt(statusLine[1]), headers, body);
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at);
            if (lineEnd < 0) {
                throw new IOException("a chunk size line without its CRLF");
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, length);
            at = lineEnd + 2 + length + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
