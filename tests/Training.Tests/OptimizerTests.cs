using Nas.Core;
using Nas.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Training.Tests;

/// <summary>Our optimisers follow PyTorch's update rules: compared step by step with TorchSharp's own.</summary>
public class OptimizerTests
{
    private static (Linear Ours, Linear Theirs, Tensor X) Pair()
    {
        manual_seed(3);
        var ours = nn.Linear(6, 4);
        var theirs = nn.Linear(6, 4);
        theirs.load_state_dict(ours.state_dict());
        return (ours, theirs, randn(10, 6));
    }

    private static void Backward(nn.Module<Tensor, Tensor> m, Tensor x)
    {
        foreach (Parameter p in m.parameters())
        {
            p.grad = null;
        }

        m.call(x).square().sum().backward();
    }

    /// <summary>Five steps of both optimisers on the same loss must keep the two copies of the weights together.</summary>
    private static void AssertSameTrajectory(Linear ours, ParameterOptimizer mine, Linear theirs, optim.Optimizer reference, Tensor x)
    {
        for (int i = 0; i < 5; i++)
        {
            Backward(ours, x);
            mine.Step();
            Backward(theirs, x);
            reference.step();
            Assert.True(ours.weight.allclose(theirs.weight, rtol: 1e-5, atol: 1e-6), $"step {i}");
        }
    }

    [Fact]
    public void SgdMatchesTorchSgd()
    {
        (Linear ours, Linear theirs, Tensor x) = Pair();
        using var mine = new SgdOptimizer(ours.parameters(), 0.05, momentum: 0.9, weightDecay: 1e-3);
        using var reference = optim.SGD(theirs.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-3);
        AssertSameTrajectory(ours, mine, theirs, reference, x);
    }

    [Fact]
    public void AdamMatchesTorchAdam()
    {
        (Linear ours, Linear theirs, Tensor x) = Pair();
        using var mine = new AdamOptimizer(ours.parameters(), 0.01, weightDecay: 5e-4);
        using var reference = optim.Adam(theirs.parameters(), 0.01, weight_decay: 5e-4);
        AssertSameTrajectory(ours, mine, theirs, reference, x);
    }

    [Fact]
    public void StateRoundTripsAndParametersWithoutGradientsAreLeftAlone()
    {
        (Linear a, Linear b, Tensor x) = Pair();
        using var first = new SgdOptimizer(a.parameters(), 0.05, momentum: 0.9);
        Backward(a, x);
        first.Step();
        b.load_state_dict(a.state_dict());
        using var second = new SgdOptimizer(b.parameters(), 0.05, momentum: 0.9);
        second.LoadState(first.SaveState(), "test");
        Backward(a, x);
        first.Step();
        Backward(b, x);
        second.Step();
        Assert.True(a.weight.allclose(b.weight));

        Tensor before = a.bias!.clone();
        a.bias!.grad = null;
        a.weight.grad = null;
        first.Step();
        Assert.True(a.bias.allclose(before, rtol: 0, atol: 0), "a parameter without gradient must not move (no momentum, no decay)");

        using var wrong = new SgdOptimizer([nn.Parameter(zeros(3))], 0.1);
        Assert.Throws<NasException>(() => wrong.LoadState(first.SaveState(), "state.bin"));
    }
}
