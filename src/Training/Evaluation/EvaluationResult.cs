namespace Nas.Training.Evaluation;

/// <summary>Loss and confusion matrix of a network over an evaluation split.</summary>
public sealed record EvaluationResult(double MeanLoss, long[,] Confusion, int Images)
{
    /// <summary>Mean IoU over classes that occur in the ground truth or the prediction.</summary>
    public double MeanIou
    {
        get
        {
            int n = Confusion.GetLength(0);
            double sum = 0;
            int present = 0;
            for (int c = 0; c < n; c++)
            {
                long tp = Confusion[c, c], fn = 0, fp = 0;
                for (int k = 0; k < n; k++)
                {
                    if (k != c)
                    {
                        fn += Confusion[c, k];
                        fp += Confusion[k, c];
                    }
                }

                long union = tp + fn + fp;
                if (union > 0)
                {
                    sum += (double)tp / union;
                    present++;
                }
            }

            return present == 0 ? double.NaN : sum / present;
        }
    }

    public double PixelAccuracy
    {
        get
        {
            long correct = 0, total = 0;
            for (int i = 0; i < Confusion.GetLength(0); i++)
            {
                for (int j = 0; j < Confusion.GetLength(1); j++)
                {
                    total += Confusion[i, j];
                    if (i == j)
                    {
                        correct += Confusion[i, j];
                    }
                }
            }

            return total == 0 ? double.NaN : (double)correct / total;
        }
    }
}
