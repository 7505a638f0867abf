package io.servletsse.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * failMode=closed: a servlet, filter or filter-chain class that ByteBuddy could not instrument is
 * not loaded at all, so the requests it would have served fail instead of reaching it unencrypted.
 *
 * <p>Registered right after ByteBuddy's transformer, with the same retransform capability, so the
 * JVM calls it next for the same class. ByteBuddy reports a failure through its listener on the
 * loading thread ({@link #failed}); this transformer then answers that same load with bytes that
 * are not a class file, and the class loader throws {@code ClassFormatError}. A failure can come
 * from matching any class (a supertype ByteBuddy cannot find as a class file), so the class's
 * direct supertypes are loaded and walked first: only a class that is, or cannot be shown not to
 * be, a servlet API entry type is refused. A class that was already loaded (attach) cannot be
 * refused; it stays as it is, reported on stderr.
 */
final class RefuseUnadvised implements ClassFileTransformer {
    private static final Set<String> ENTRY_TYPES = Set.of("jakarta.servlet.Servlet", "jakarta.servlet.Filter",
            "jakarta.servlet.FilterChain");
    /** Not a class file: any loader's defineClass fails on it. */
    private static final byte[] REFUSED = new byte[4];

    private record Failure(String typeName, ClassLoader loader) {}

    /** The class ByteBuddy failed on during the load running on this thread; cleared by the next transform. */
    private static final ThreadLocal<Failure> FAILED = new ThreadLocal<>();

    /** From ByteBuddy's listener: the load of {@code typeName} by {@code loader} on this thread was not instrumented. */
    static void failed(String typeName, ClassLoader loader) {
        FAILED.set(new Failure(typeName, loader));
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) {
        Failure f = FAILED.get();
        if (f == null) {
            return null;
        }
        FAILED.remove();
        if (redefined != null || className == null || loader == null || f.loader() != loader
                || !className.replace('/', '.').equals(f.typeName()) || !mayBeEntryType(loader, classFile)) {
            return null;
        }
        System.err.println("[servlet-sse agent] ERROR: refusing to load " + f.typeName() + ": it is a servlet, "
                + "filter or filter chain the agent could not instrument, and with failMode=closed the requests it "
                + "would serve fail rather than reach it unencrypted");
        return REFUSED.clone();
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
            } catch (ClassNotFoundException | LinkageError e) {
                return true; // the class cannot be defined without it anyway
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
