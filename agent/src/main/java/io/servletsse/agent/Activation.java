package io.servletsse.agent;

import io.servletsse.agent.bootstrap.SseBridge;
import java.lang.instrument.Instrumentation;

/** The last start-up steps, linked only once the bridge is on the bootstrap class path. */
final class Activation {
    private Activation() {}

    static void activate(CoreLoader core, HiddenClasses hidden, Object runtime, Instrumentation inst, boolean debug) {
        SseBridge.install(new Router(core, hidden, runtime));
        Installer.install(inst, debug);
    }
}
