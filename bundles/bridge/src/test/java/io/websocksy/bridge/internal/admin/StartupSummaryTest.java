package io.websocksy.bridge.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.websocksy.api.admin.ListenerInfo;

class StartupSummaryTest {
    private static ListenerInfo running(String name, String address) {
        return ListenerInfo.named(name).address(address).backend("main", true).state(ListenerInfo.State.LISTENING)
                .counts(0, 0, 0, 0).build();
    }

    private static ListenerInfo failed(String name, String why) {
        return ListenerInfo.named(name).address("127.0.0.1:1").backend("main", true).state(ListenerInfo.State.FAILED)
                .counts(0, 0, 0, 0).failure(why).build();
    }

    @Test
    void noneRunningIsSaidInWords() {
        assertEquals("websocksy started but no listener is running: nothing is served until a .cfg file in /d is "
                + "corrected (applied when saved); failed: main (cannot listen on :: port 8001: address already in use)",
                StartupSummary.summary(List.of(failed("main", "cannot listen on :: port 8001: address already in use")),
                        "/d"));
    }

    @Test
    void runningAndFailedAreCounted() {
        assertEquals("websocksy started: 1 of 2 listeners running: main listening on [::]:8001; failed: three (ping)",
                StartupSummary.summary(List.of(running("main", "[::]:8001"), failed("three", "ping")), "/d"));
    }

    @Test
    void noListenerConfigured() {
        assertEquals("websocksy started with no listener configured: nothing is served until a "
                + "websocksy.listener-<name>.cfg is added to /d", StartupSummary.summary(List.of(), "/d"));
    }
}
