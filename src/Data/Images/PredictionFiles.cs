using Nas.Data.Datasets;

namespace Nas.Data.Images;

/// <summary>Writes a predicted class map: Cityscapes label ids (for the official evaluator) or a palette PNG.</summary>
public static class PredictionFiles
{
    public static void Save(string dir, string id, LabelMap prediction, DatasetInfo info, bool cityscapes)
    {
        if (cityscapes)
        {
            byte[] toId = CityscapesLabels.TrainIdToId;
            var ids = new LabelMap(prediction.Width, prediction.Height, prediction.Indices.Select(v => toId[v]).ToArray());
            IndexedPng.WriteGray(Path.Combine(dir, id + "_pred_labelIds.png"), ids);
        }
        else
        {
            IndexedPng.WritePalette(Path.Combine(dir, id + ".png"), prediction, info.Palette);
        }
    }
}
