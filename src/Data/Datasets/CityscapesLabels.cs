using Nas.Data.Images;

namespace Nas.Data.Datasets;

/// <summary>
/// The 35 Cityscapes labels (ids 0–33 and license plate −1) with train ids (19 evaluation classes, others 255),
/// categories and colours, as in the official labels.py (master / 878f1d0).
/// </summary>
public static class CityscapesLabels
{
    public static IReadOnlyList<CityscapesLabel> All { get; } =
    [
        new("unlabeled", 0, 255, "void", 0, true, 0, 0, 0),
        new("ego vehicle", 1, 255, "void", 0, true, 0, 0, 0),
        new("rectification border", 2, 255, "void", 0, true, 0, 0, 0),
        new("out of roi", 3, 255, "void", 0, true, 0, 0, 0),
        new("static", 4, 255, "void", 0, true, 0, 0, 0),
        new("dynamic", 5, 255, "void", 0, true, 111, 74, 0),
        new("ground", 6, 255, "void", 0, true, 81, 0, 81),
        new("road", 7, 0, "flat", 1, false, 128, 64, 128),
        new("sidewalk", 8, 1, "flat", 1, false, 244, 35, 232),
        new("parking", 9, 255, "flat", 1, true, 250, 170, 160),
        new("rail track", 10, 255, "flat", 1, true, 230, 150, 140),
        new("building", 11, 2, "construction", 2, false, 70, 70, 70),
        new("wall", 12, 3, "construction", 2, false, 102, 102, 156),
        new("fence", 13, 4, "construction", 2, false, 190, 153, 153),
        new("guard rail", 14, 255, "construction", 2, true, 180, 165, 180),
        new("bridge", 15, 255, "construction", 2, true, 150, 100, 100),
        new("tunnel", 16, 255, "construction", 2, true, 150, 120, 90),
        new("pole", 17, 5, "object", 3, false, 153, 153, 153),
        new("polegroup", 18, 255, "object", 3, true, 153, 153, 153),
        new("traffic light", 19, 6, "object", 3, false, 250, 170, 30),
        new("traffic sign", 20, 7, "object", 3, false, 220, 220, 0),
        new("vegetation", 21, 8, "nature", 4, false, 107, 142, 35),
        new("terrain", 22, 9, "nature", 4, false, 152, 251, 152),
        new("sky", 23, 10, "sky", 5, false, 70, 130, 180),
        new("person", 24, 11, "human", 6, false, 220, 20, 60),
        new("rider", 25, 12, "human", 6, false, 255, 0, 0),
        new("car", 26, 13, "vehicle", 7, false, 0, 0, 142),
        new("truck", 27, 14, "vehicle", 7, false, 0, 0, 70),
        new("bus", 28, 15, "vehicle", 7, false, 0, 60, 100),
        new("caravan", 29, 255, "vehicle", 7, true, 0, 0, 90),
        new("trailer", 30, 255, "vehicle", 7, true, 0, 0, 110),
        new("train", 31, 16, "vehicle", 7, false, 0, 80, 100),
        new("motorcycle", 32, 17, "vehicle", 7, false, 0, 0, 230),
        new("bicycle", 33, 18, "vehicle", 7, false, 119, 11, 32),
        new("license plate", -1, -1, "vehicle", 7, true, 0, 0, 142),
    ];

    /// <summary>The largest label id that occurs in <c>*_gtFine_labelIds.png</c> (bicycle).</summary>
    public const int MaxLabelId = 33;

    /// <summary>The 19 evaluation classes in train-id order.</summary>
    public static IReadOnlyList<CityscapesLabel> TrainClasses { get; } =
        All.Where(l => l.TrainId is >= 0 and < 255).OrderBy(l => l.TrainId).ToArray();

    /// <summary>The 7 evaluation categories (void excluded), in category-id order.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["flat", "construction", "object", "nature", "sky", "human", "vehicle"];

    public static DatasetInfo Info { get; } = new("cityscapes", TrainClasses.Select(l => new ClassInfo(l.Name, l.R, l.G, l.B)).ToArray());

    /// <summary>labelId → trainId lookup for every byte value (unknown ids → 255).</summary>
    public static byte[] IdToTrainId { get; } = BuildIdToTrainId();

    /// <summary>trainId → labelId for writing predictions the official evaluator reads (255 → 0).</summary>
    public static byte[] TrainIdToId { get; } = BuildTrainIdToId();

    /// <summary>Category index (0..6) of each train id.</summary>
    public static IReadOnlyList<int> TrainIdCategory { get; } = TrainClasses.Select(l => l.CategoryId - 1).ToArray();

    /// <summary>A train-id map (0..18, 255) as label ids, for prediction PNGs the official evaluator reads (255 → 0 unlabeled).</summary>
    public static LabelMap ToLabelIds(LabelMap trainIds)
    {
        byte[] map = TrainIdToId;
        byte[] ids = new byte[trainIds.Indices.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = map[trainIds.Indices[i]];
        }

        return new LabelMap(trainIds.Width, trainIds.Height, ids);
    }

    /// <summary>A label-id map as train ids: the 19 evaluation classes, everything else 255.</summary>
    public static LabelMap ToTrainIds(LabelMap labelIds) => new(labelIds.Width, labelIds.Height, labelIds.Indices.Select(v => IdToTrainId[v]).ToArray());

    private static byte[] BuildIdToTrainId()
    {
        byte[] map = Enumerable.Repeat((byte)255, 256).ToArray();
        foreach (CityscapesLabel l in All.Where(l => l.Id >= 0 && l.TrainId is >= 0 and < 255))
        {
            map[l.Id] = (byte)l.TrainId;
        }

        return map;
    }

    private static byte[] BuildTrainIdToId()
    {
        byte[] map = new byte[256];
        foreach (CityscapesLabel l in TrainClasses)
        {
            map[l.TrainId] = (byte)l.Id;
        }

        return map;
    }
}
