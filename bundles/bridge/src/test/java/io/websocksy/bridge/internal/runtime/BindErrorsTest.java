package io.websocksy.bridge.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;

import org.junit.jupiter.api.Test;

import io.netty.channel.unix.Errors;

class BindErrorsTest {
    @Test
    void nativeAddressInUseReadsAsWords() {
        assertEquals("address already in use",
                BindErrors.describe(new Errors.NativeIoException("bind(..) failed with error(-98)", -98)));
        assertEquals("address already in use", BindErrors.describe(new BindException("Address already in use")));
    }

    @Test
    void unresolvedAddressHasAMessage() {
        assertEquals("cannot resolve the host name", BindErrors.describe(new UnresolvedAddressException()));
    }

    @Test
    void otherErrnosAndCauses() {
        assertEquals("address not available on this host",
                BindErrors.describe(new BindException("Cannot assign requested address")));
        assertEquals("permission denied (ports below 1024 need privileges)",
                BindErrors.describe(new Errors.NativeIoException("bind(..) failed with error(-13)", -13)));
        assertEquals("address already in use",
                BindErrors.describe(new IllegalStateException("wrapped", new BindException("Address already in use"))));
        assertEquals("NullPointerException", BindErrors.describe(new NullPointerException()));
    }
}
