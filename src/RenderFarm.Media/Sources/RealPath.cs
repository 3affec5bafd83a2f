using System.Runtime.InteropServices;

namespace RenderFarm.Media.Sources;

/// <summary>
/// realpath(3) for paths that may not exist: every existing component is resolved through its
/// symlinks (".." applies to the resolved parent, as the kernel does), missing ones are kept as
/// written. Checking the resolved path - and handing out that same path - is what makes a symlink
/// inside an allowed root unable to point outside it.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40; // Linux's own limit (ELOOP)

    public static string Resolve(string absolutePath)
    {
        if (!Path.IsPathRooted(absolutePath)) throw new ArgumentException("path must be absolute", nameof(absolutePath));
        var pending = new List<string>(Components(absolutePath));
        var current = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? "/"; continue; }
            var next = Path.Join(current, part);
            var target = LinkTarget(next);
            if (target is null) { current = next; continue; }
            if (++links > MaxLinks) throw new IOException($"too many levels of symbolic links in '{absolutePath}'");
            if (Path.IsPathRooted(target)) current = "/";
            pending.InsertRange(0, Components(target));
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (component-wise, so /data2 is not under /data).</summary>
    public static bool IsUnder(string path, string root)
    {
        var prefix = root.TrimEnd('/') + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) || path == root.TrimEnd('/');
    }

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string? LinkTarget(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (IOException) { return null; }             // e.g. a component is a regular file: not a link
        catch (UnauthorizedAccessException) { return null; }
    }
}

/// <summary>What a path is on disk, without opening it (opening a FIFO would block).</summary>
internal enum FileKind { Missing, Regular, Directory, Other }

internal static class FileKinds
{
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            try { return StatxKind(path); }
            catch (EntryPointNotFoundException) { }
            catch (DllNotFoundException) { }
        }
        // Elsewhere .NET cannot tell a FIFO or device from a file; their size is 0, a media file's is not.
        if (Directory.Exists(path)) return FileKind.Directory;
        var info = new FileInfo(path);
        return !info.Exists ? FileKind.Missing : info.Length > 0 ? FileKind.Regular : FileKind.Other;
    }

    // statx's struct layout is the same on every Linux architecture, unlike stat's; stx_mode is a u16 at offset 28.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);

    private static FileKind StatxKind(string path)
    {
        const int atFdCwd = -100, statxType = 1, modeOffset = 28, typeMask = 0xF000, regular = 0x8000, directory = 0x4000;
        var buffer = new byte[256];
        if (Statx(atFdCwd, path, 0, statxType, buffer) != 0) return FileKind.Missing;
        return (BitConverter.ToUInt16(buffer, modeOffset) & typeMask) switch
        {
            regular => FileKind.Regular,
            directory => FileKind.Directory,
            _ => FileKind.Other,
        };
    }
}
