package io.servletsse.agent;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * failMode=closed: a servlet, filter or filter-chain class that ByteBuddy could not instrument is
 * not loaded at all, so the requests it would have served fail instead of reaching it unencrypted.
 *
 * <p>Wraps ByteBuddy's own transformer ({@link AgentBuilder.TransformerDecorator}), so the refusal
 * answers the very transform call that failed: ByteBuddy reports the failure through its listener
 * ({@link #failed}) on the loading thread before it throws, and this transformer then answers
 * with bytes that are not a class file, so the class loader throws {@code ClassFormatError}. No
 * failure outlives its call, and there is no moment when ByteBuddy's transformer is registered and
 * this one is not. A failure can come from matching any class (a supertype ByteBuddy cannot find as
 * a class file), so the class's direct supertypes are loaded and walked first: only a class that
 * is, or cannot be shown not to be, a servlet API entry type is refused. A class that was already
 * loaded (attach) cannot be refused; it stays as it is, reported on stderr.
 */
final class RefuseUnadvised extends ResettableClassFileTransformer.WithDelegation {
    private static final Set<String> ENTRY_TYPES = Set.of("jakarta.servlet.Servlet", "jakarta.servlet.Filter",
            "jakarta.servlet.FilterChain");
    /** Not a class file: any loader's defineClass fails on it. */
    private static final byte[] REFUSED = new byte[4];

    private record Failure(String typeName, ClassLoader loader) {}

    /** The class ByteBuddy failed on in the transform call running on this thread. */
    private static final ThreadLocal<Failure> FAILED = new ThreadLocal<>();

    RefuseUnadvised(ResettableClassFileTransformer byteBuddy) {
        super(byteBuddy);
    }

    /** From ByteBuddy's listener: the load of {@code typeName} by {@code loader} on this thread was not instrumented. */
    static void failed(String typeName, ClassLoader loader) {
        FAILED.set(new Failure(typeName, loader));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
        return refuseIfFailed(() -> classFileTransformer.transform(module, loader, className, redefined, domain, classFile),
                loader, className, redefined, classFile);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) throws IllegalClassFormatException {
        return refuseIfFailed(() -> classFileTransformer.transform(loader, className, redefined, domain, classFile),
                loader, className, redefined, classFile);
    }

    private interface Transform {
        byte[] run() throws IllegalClassFormatException;
    }

    private static byte[] refuseIfFailed(Transform byteBuddy, ClassLoader loader, String className, Class<?> redefined,
            byte[] classFile) throws IllegalClassFormatException {
        FAILED.remove();
        try {
            return byteBuddy.run();
        } catch (RuntimeException e) {
            // ByteBuddy reports a failure by throwing, after its listener. The JVM ignores a transformer's
            // exception and loads the class as it is; null says the same, unless the class is refused.
            return refuses(loader, className, redefined, classFile) ? REFUSED.clone() : null;
        } finally {
            FAILED.remove();
        }
    }

    /** Whether the failure ByteBuddy just reported is this class's first load, and the class may be an entry type. */
    private static boolean refuses(ClassLoader loader, String className, Class<?> redefined, byte[] classFile) {
        Failure f = FAILED.get();
        if (f == null || redefined != null || className == null || loader == null || f.loader() != loader
                || !className.replace('/', '.').equals(f.typeName()) || !mayBeEntryType(loader, classFile)) {
            return false;
        }
        System.err.println("[servlet-sse agent] ERROR: refusing to load " + f.typeName() + ": it is a servlet, "
                + "filter or filter chain the agent could not instrument, and with failMode=closed the requests it "
                + "would serve fail rather than reach it unencrypted");
        return true;
    }

    /** True unless the class file shows an interface, or a class whose supertypes are none of the entry types. */
    static boolean mayBeEntryType(ClassLoader loader, byte[] classFile) {
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (RuntimeException e) {
            return true; // a class file the bundled ASM cannot read: nothing shows it is harmless
        }
        if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
            return false; // no code of its own to advise; its implementations are checked when they load
        }
        Set<String> supertypes = new HashSet<>();
        if (reader.getSuperName() != null) {
            supertypes.add(reader.getSuperName());
        }
        supertypes.addAll(Set.of(reader.getInterfaces()));
        for (String internalName : supertypes) {
            String name = internalName.replace('/', '.');
            if (ENTRY_TYPES.contains(name)) {
                return true;
            }
            try {
                if (extendsEntryType(Class.forName(name, false, loader))) {
                    return true;
                }
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                // A supertype that does not exist: the JVM cannot define this class either, and fails it
                // with the NoClassDefFoundError that code probing an optional dependency expects.
                continue;
            } catch (LinkageError e) {
                return true; // the supertype exists but is broken: nothing shows this class is harmless
            }
        }
        return false;
    }

    private static boolean extendsEntryType(Class<?> type) {
        if (type == null) {
            return false;
        }
        if (ENTRY_TYPES.contains(type.getName())) {
            return true;
        }
        for (Class<?> i : type.getInterfaces()) {
            if (extendsEntryType(i)) {
                return true;
            }
        }
        return extendsEntryType(type.getSuperclass());
    }
}
