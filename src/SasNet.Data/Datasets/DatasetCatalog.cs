namespace SasNet.Data.Datasets;

/// <summary>Readers for the published dataset layouts (docs/method.md §9) and the built-in phantoms.</summary>
public static class DatasetCatalog
{
    /// <summary>Folder of the LA cases under the dataset root, as published with UA-MT.</summary>
    public const string LaCasesFolder = "2018LA_Seg_Training Set";

    /// <summary>Folder of the Pancreas-CT cases under the dataset root, as published with DTC.</summary>
    public const string PancreasCasesFolder = "Pancreas_h5";

    /// <summary>Folder of the BraTS 2019 cases under the dataset root.</summary>
    public const string BraTSCasesFolder = "data";

    /// <summary>
    /// LA (2018 Atrial Segmentation Challenge, UA-MT preprocessing):
    /// <c>&lt;root&gt;/2018LA_Seg_Training Set/&lt;ID&gt;/mri_norm2.h5</c> and lists <c>&lt;root&gt;/train.list</c> (80)
    /// and <c>test.list</c> (20). When the root has no lists, <paramref name="listsDirectory"/> is used, and
    /// failing that the lists shipped with the kit (data/LA, embedded in this assembly).
    /// </summary>
    /// <param name="root">Dataset root.</param>
    /// <param name="listsDirectory">Where train.list/test.list are, if not in the root.</param>
    /// <param name="casesDirectory">Override for the folder holding &lt;ID&gt;/mri_norm2.h5 (default root/2018LA_Seg_Training Set).</param>
    public static MedicalDataset LA(string root, string? listsDirectory = null, string? casesDirectory = null)
    {
        root = Path.GetFullPath(root);
        casesDirectory ??= Path.Combine(root, LaCasesFolder);
        IReadOnlyList<string> List(string file)
        {
            foreach (var dir in new[] { listsDirectory, root })
                if (dir is not null && File.Exists(Path.Combine(dir, file))) return MedicalDataset.ReadList(Path.Combine(dir, file));
            return MedicalDataset.EmbeddedLaList(file);
        }
        return new MedicalDataset("LA", root, List("train.list"), List("test.list"), [],
            id => new CaseFile(id, Path.Combine(casesDirectory, id, "mri_norm2.h5")));
    }

    /// <summary>
    /// The phantom dataset written by <see cref="Phantoms.PhantomDataset.Generate"/>: the LA reader with the
    /// cases folder and the lists both at <paramref name="root"/>.
    /// </summary>
    public static MedicalDataset Phantoms(string root)
    {
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "train.list")))
            throw new FileNotFoundException($"no phantom dataset at {root} (train.list missing); generate one with PhantomDataset.Generate", Path.Combine(root, "train.list"));
        var la = LA(root, listsDirectory: root, casesDirectory: root);
        return new MedicalDataset("Phantom", root, la.TrainIds, la.TestIds, [], la.Resolve);
    }

    /// <summary>
    /// Pancreas-CT (NIH) as used by SASNet/DTC: <c>&lt;root&gt;/Pancreas_h5/&lt;ID&gt;_norm.h5</c> ("image" float32,
    /// "label" float 0/1), lists <c>train.list</c>/<c>test.list</c> (or <c>pancreas_train.list</c>/
    /// <c>pancreas_test.list</c>) in the root, 62/20 IDs such as "image0001". An ID may also be the bare
    /// number ("0001") or a file name.
    /// </summary>
    public static MedicalDataset Pancreas(string root)
    {
        root = Path.GetFullPath(root);
        string folder = Path.Combine(root, PancreasCasesFolder);
        IReadOnlyList<string> List(string plain, string prefixed)
        {
            var path = Path.Combine(root, plain);
            if (!File.Exists(path) && File.Exists(Path.Combine(root, prefixed))) path = Path.Combine(root, prefixed);
            return MedicalDataset.ReadList(path);
        }
        CaseFile Resolve(string id)
        {
            string name = Path.GetFileName(id);
            if (name.EndsWith(".h5", StringComparison.OrdinalIgnoreCase)) return new CaseFile(Path.GetFileNameWithoutExtension(name), Path.Combine(folder, name));
            var candidates = new[] { $"{name}_norm.h5", $"image{name}_norm.h5", $"{name}.h5" };
            var found = candidates.Select(c => Path.Combine(folder, c)).FirstOrDefault(File.Exists);
            return new CaseFile(id, found ?? Path.Combine(folder, candidates[0]));
        }
        return new MedicalDataset("Pancreas-CT", root, List("train.list", "pancreas_train.list"), List("test.list", "pancreas_test.list"), [], Resolve);
    }

    /// <summary>
    /// BraTS 2019 (FLAIR, whole tumour) as used by SASNet: <c>&lt;root&gt;/data/&lt;ID&gt;.h5</c> and lists
    /// <c>train.txt</c> (250), <c>val.txt</c> (25) and <c>test.txt</c> (60) in the root. The official
    /// validation list is used for model selection.
    /// </summary>
    public static MedicalDataset BraTS(string root)
    {
        root = Path.GetFullPath(root);
        var valPath = Path.Combine(root, "val.txt");
        IReadOnlyList<string> validation = File.Exists(valPath) ? MedicalDataset.ReadList(valPath) : [];
        return new MedicalDataset("BraTS 2019", root, MedicalDataset.ReadList(Path.Combine(root, "train.txt")),
            MedicalDataset.ReadList(Path.Combine(root, "test.txt")), validation,
            id => new CaseFile(id, Path.Combine(root, BraTSCasesFolder, id.EndsWith(".h5", StringComparison.Ordinal) ? id : id + ".h5")));
    }
}
