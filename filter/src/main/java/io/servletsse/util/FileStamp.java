package io.servletsse.util;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Which version of a file or directory is on disk: file key (inode), modification time and size,
 * compared as they are, no strings made (stores check it on every request). A file replaced by a
 * rename gets another key, one rewritten in place another time or size; a directory another time
 * when an entry is added, renamed or removed.
 */
public record FileStamp(Object fileKey, FileTime modified, long size) {
    public static FileStamp of(BasicFileAttributes a) {
        return new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size());
    }
}
