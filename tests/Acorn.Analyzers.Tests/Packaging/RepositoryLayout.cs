namespace Acorn.Analyzers.Tests.Packaging;

/// <summary>Finds the repository the tests were built from.</summary>
internal static class RepositoryLayout
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Acorn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Acorn.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies a folder without its bin/ and obj/ outputs.</summary>
    public static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
