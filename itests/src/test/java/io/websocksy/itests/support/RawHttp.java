package io.websocksy.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client over {@link Socket} for handshake status tests: writes request bytes exactly
 * as built, reads the response head (and the body per Content-Length), and for non-101 answers checks
 * that the server closes the connection.
 */
public final class RawHttp {
    /** How long to wait for the server to close the connection after an error answer. */
    public static final int CLOSE_WAIT_MILLIS = 5000;

    private RawHttp() {
    }

    /** A request under construction; starts as a valid RFC 6455 upgrade with the RFC example key. */
    public static final class Request {
        private String method = "GET";
        private String target = "/";
        private String version = "HTTP/1.1";
        private final List<String[]> headers = new ArrayList<>();

        /** @return a valid upgrade request for 127.0.0.1:port */
        public static Request upgrade(int port) {
            Request r = new Request();
            r.add("Host", "127.0.0.1:" + port);
            r.add("Upgrade", "websocket");
            r.add("Connection", "Upgrade");
            r.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
            r.add("Sec-WebSocket-Version", "13");
            return r;
        }

        public Request method(String m) {
            method = m;
            return this;
        }

        public Request target(String t) {
            target = t;
            return this;
        }

        public Request version(String v) {
            version = v;
            return this;
        }

        /** Appends a header line. */
        public Request add(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Removes every header of that name (case-insensitive). */
        public Request remove(String name) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
            return this;
        }

        /** Replaces every header of that name by one with this value. */
        public Request set(String name, String value) {
            return remove(name).add(name, value);
        }

        /** @return the request bytes (ISO-8859-1), ending with the empty line */
        public byte[] bytes() {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(target);
            if (!version.isEmpty()) {
                sb.append(' ').append(version);
            }
            sb.append("\r\n");
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            sb.append("\r\n");
            return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** A response as seen on the wire. */
    public static final class Response {
        public final String statusLine;
        public final int status;
        public final List<Map.Entry<String, String>> headers;
        public final byte[] body;
        /** True when the server closed the TCP connection (EOF or reset) after the response. */
        public final boolean closedAfter;
        public final String head;

        public Response(String head, List<Map.Entry<String, String>> headers, byte[] body, boolean closedAfter) {
            this.head = head;
            this.statusLine = head.substring(0, head.indexOf("\r\n"));
            String[] parts = statusLine.split(" ", 3);
            this.status = parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
            this.headers = headers;
            this.body = body;
            this.closedAfter = closedAfter;
        }

        /** @return first value of the header (case-insensitive name), or null */
        public String header(String name) {
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** @return all values of the header */
        public List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    out.add(e.getValue());
                }
            }
            return out;
        }

        /** @return true when a comma-separated header has the token (case-insensitive) */
        public boolean hasToken(String name, String token) {
            for (String v : headers(name)) {
                for (String t : v.split(",")) {
                    if (t.trim().toLowerCase(Locale.ROOT).equals(token.toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return head.replace("\r\n", "\\r\\n ") + "[" + body.length + " body bytes, closedAfter=" + closedAfter + "]";
        }
    }

    /**
     * Sends a request and reads the answer.
     *
     * @param port port on 127.0.0.1
     * @param request the request
     * @return the response
     */
    public static Response exchange(int port, Request request) throws IOException {
        return exchange(port, request.bytes(), 15_000);
    }

    /**
     * Sends raw request bytes and reads the answer.
     *
     * @param port port on 127.0.0.1
     * @param request the bytes to send
     * @param headTimeoutMillis how long to wait for the response head
     * @return the response
     */
    public static Response exchange(int port, byte[] request, int headTimeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Ports.LOOPBACK, port), 2000);
            s.setSoTimeout(headTimeoutMillis);
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the server may answer and close before reading all of an oversized request; read the answer anyway
            }
            InputStream in = s.getInputStream();
            String head = readHead(in);
            List<Map.Entry<String, String>> headers = parseHeaders(head);
            Response probe = new Response(head, headers, new byte[0], false);
            if (probe.status == 101) {
                return probe;
            }
            byte[] body = new byte[0];
            String cl = probe.header("Content-Length");
            if (cl != null) {
                body = in.readNBytes(Integer.parseInt(cl.trim()));
            }
            return new Response(head, headers, body, closedWithin(s, in, CLOSE_WAIT_MILLIS));
        }
    }

    /**
     * Reads up to and including the empty line that ends an HTTP head.
     *
     * @param in the stream
     * @return the head, ISO-8859-1
     */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return new String(a, StandardCharsets.ISO_8859_1);
            }
            if (n > 65536) {
                throw new IOException("response head over 64 KiB");
            }
        }
        throw new IOException("connection closed before a complete response head; got: "
                + new String(b.toByteArray(), StandardCharsets.ISO_8859_1));
    }

    private static List<Map.Entry<String, String>> parseHeaders(String head) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        List<String> lines = new ArrayList<>(Arrays.asList(head.split("\r\n")));
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        return out;
    }

    private static boolean closedWithin(Socket s, InputStream in, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            return in.read() < 0;   // any further byte after the answer is a failure too
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;            // reset counts as closed
        }
    }
}
