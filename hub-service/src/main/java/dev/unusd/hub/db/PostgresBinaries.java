package dev.unusd.hub.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.springframework.util.FileSystemUtils;

/**
 * The PostgreSQL binaries of this platform: an archive in an io.zonky.test.postgres jar (the demo jar and the tests
 * have the Linux x86_64 one), unpacked once for {@link EmbeddedPostgresServer}. The hub jar has neither the archive
 * nor commons-compress: there {@link #present()} says no.
 */
final class PostgresBinaries {

    private PostgresBinaries() {
    }

    /** Whether this build carries the binaries of this platform. */
    static boolean present() {
        return PostgresBinaries.class.getClassLoader().getResource(archive()) != null;
    }

    /** The name the io.zonky.test.postgres jars give the archive of this platform's binaries. */
    private static String archive() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : "linux";
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64v8";
            default -> System.getProperty("os.arch");
        };
        return "postgres-" + system + "-" + arch + ".txz";
    }

    /**
     * The binaries unpacked once per archive content into the temporary folder (a new version gets a new folder).
     * Unpacked beside it and moved into place, so a concurrent start never sees half a tree.
     */
    static Path installed() throws IOException {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(archive());
        if (archive == null) {
            throw new IllegalStateException("no embedded PostgreSQL for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " in this build (" + archive() + "; it packages Linux x86_64)");
        }
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "unusd-postgres");
        Path target = root.resolve(digest(archive));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(root);
        Path unpacking = Files.createTempDirectory(root, "unpacking-");
        TxzArchive.unpack(archive, unpacking);
        try {
            Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            FileSystemUtils.deleteRecursively(unpacking);
            if (!Files.isDirectory(target)) {
                throw e;
            } // else another JVM unpacked them first
        }
        return target;
    }

    private static String digest(URL archive) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(archive.openStream(), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    /**
     * The tar.xz reading, in a class of its own: the JVM checks a class's uses of commons-compress types when it loads
     * it, and the hub jar must load {@link PostgresBinaries} without them.
     */
    private static final class TxzArchive {

        static void unpack(URL archive, Path into) throws IOException {
            try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(archive.openStream()));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path path = into.resolve(entry.getName()).normalize();
                    if (!path.startsWith(into)) {
                        throw new IOException("archive entry outside its folder: " + entry.getName());
                    }
                    Files.createDirectories(entry.isDirectory() ? path : path.getParent());
                    if (entry.isSymbolicLink()) {
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else if (entry.isFile()) {
                        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                    }
                }
            }
        }
    }
}
