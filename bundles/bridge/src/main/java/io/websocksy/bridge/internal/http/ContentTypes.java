package io.websocksy.bridge.internal.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Content-Type by file extension for the listener's static files; unknown: application/octet-stream. */
public final class ContentTypes {
    public static final String DEFAULT = "application/octet-stream";
    private static final Map<String, String> BY_EXTENSION = new HashMap<>();

    static {
        String utf8 = "; charset=utf-8";
        put("text/html" + utf8, "html", "htm");
        put("text/javascript" + utf8, "js", "mjs", "cjs");
        put("text/css" + utf8, "css");
        put("text/plain" + utf8, "txt", "text", "log", "md");
        put("text/csv" + utf8, "csv");
        put("application/json", "json", "map");
        put("application/manifest+json", "webmanifest");
        put("application/xml", "xml");
        put("application/wasm", "wasm");
        put("application/pdf", "pdf");
        put("application/zip", "zip");
        put("application/gzip", "gz");
        put("image/svg+xml", "svg");
        put("image/png", "png");
        put("image/jpeg", "jpg", "jpeg");
        put("image/gif", "gif");
        put("image/webp", "webp");
        put("image/avif", "avif");
        put("image/bmp", "bmp");
        put("image/vnd.microsoft.icon", "ico");
        put("font/woff2", "woff2");
        put("font/woff", "woff");
        put("font/ttf", "ttf");
        put("font/otf", "otf");
        put("audio/ogg", "oga", "ogg");
        put("audio/mpeg", "mp3");
        put("audio/wav", "wav");
        put("video/mp4", "mp4");
        put("video/webm", "webm");
    }

    private ContentTypes() {
    }

    private static void put(String type, String... exts) {
        for (String e : exts) {
            BY_EXTENSION.put(e, type);
        }
    }

    public static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
