package io.websocksy.bridge.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A parsed HTTP request head: request line and header fields, in order. */
public final class HttpHead {
    public final String method;
    public final String target;
    public final String version;
    public final List<String[]> headers = new ArrayList<>();

    public HttpHead(String method, String target, String version) {
        this.method = method;
        this.target = target;
        this.version = version;
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                out.add(h[1]);
            }
        }
        return out;
    }

    public String first(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** @return true when any value of the header, split at commas, has the token (case-insensitive) */
    public boolean hasToken(String name, String token) {
        for (String v : all(name)) {
            for (String t : v.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
