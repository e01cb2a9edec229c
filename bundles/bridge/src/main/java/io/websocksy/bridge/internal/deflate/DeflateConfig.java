package io.websocksy.bridge.internal.deflate;

/**
 * A listener's permessage-deflate options (RFC 7692): {@code compression}, {@code compression-level},
 * {@code compression-window-bits}, {@code compression-no-context-takeover}, {@code compression-min-size}.
 * Immutable; validated by the listener's settings.
 */
public final class DeflateConfig {
    /** The options of a listener that does not negotiate the extension. */
    public static final DeflateConfig OFF = new DeflateConfig(false, 6, 15, false, 64);

    public final boolean enabled;
    /** zlib level 1-9 for peer-to-client messages. */
    public final int level;
    /** The largest LZ77 window the server's compressor may use, 8-15 (server_max_window_bits). */
    public final int windowBits;
    /** Neither side keeps its LZ77 window from one message to the next (server_ and client_no_context_takeover). */
    public final boolean noContextTakeover;
    /** Peer-to-client messages shorter than this go out uncompressed. */
    public final int minSize;

    public DeflateConfig(boolean enabled, int level, int windowBits, boolean noContextTakeover, int minSize) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compression-level must be 1-9");
        }
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("compression-window-bits must be 8-15");
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("compression-min-size must not be negative");
        }
        this.enabled = enabled;
        this.level = level;
        this.windowBits = windowBits;
        this.noContextTakeover = noContextTakeover;
        this.minSize = minSize;
    }

    @Override
    public String toString() {
        return enabled ? "compression=on compression-level=" + level + " compression-window-bits=" + windowBits
                + " compression-no-context-takeover=" + noContextTakeover + " compression-min-size=" + minSize
                : "compression=off";
    }
}
