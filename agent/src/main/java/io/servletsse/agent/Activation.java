package io.servletsse.agent;

import io.servletsse.agent.bootstrap.SseBridge;
import java.lang.instrument.Instrumentation;

/** The start-up steps that link against the bridge: called only once it is on the bootstrap class path. */
final class Activation {
    private Activation() {}

    static void dispatch(CoreLoader core, HiddenClasses hidden, Object runtime) {
        SseBridge.install(new Router(core, hidden, runtime));
    }

    static void instrument(Instrumentation inst, boolean debug, boolean atLaunch, boolean refuseUnadvised) {
        Installer.install(inst, debug, atLaunch, refuseUnadvised);
    }

    /** failMode=open: advised methods run as if there were no agent. */
    static void passThrough() {
        SseBridge.install((self, request, response, chain) -> false);
    }
}
