"""A tiny shape / parameter / MAC bookkeeper used by the docs/zoo spec scripts (python3, no torch).

Every layer is registered under its exact PyTorch state-dict prefix, in module-registration order (the order
`state_dict()` lists keys: a module's own parameters, then its own buffers, then its children in the order
they were assigned in __init__). Shapes are (C, H, W) tuples at batch 1.

Conventions (the SqueezeNAS convention used by Nas's MacCounter):
  conv MACs   = C_out * H_out * W_out * k_h * k_w * C_in / groups
  deconv MACs = C_in * H_in * W_in * k_h * k_w * C_out / groups   (every input pixel scatters one kernel)
  parameters  = everything parameters() returns (weights, biases, BN gamma/beta, PReLU slopes);
  buffers     = BN running_mean / running_var (float) and num_batches_tracked (int64 scalar, shape []).
"""


def conv_out(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def deconv_out(n, k, s, p, op, d=1):
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def pool_out(n, k, s, p, ceil=False):
    num = n + 2 * p - k
    o = (-(-num // s) if ceil else num // s) + 1
    if ceil and (o - 1) * s >= n + p:  # PyTorch: the last window must start inside the input or left padding
        o -= 1
    return o


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


class Spec:
    def __init__(self, name):
        self.name = name
        self.entries = []  # (key, shape, kind) kind in {"param", "buffer"}
        self.macs = 0
        self.mac_rows = []  # (prefix, macs)
        self.layers = []  # (prefix, description, out_shape)
        self.ops = []  # (kind, out_shape, prefix) in emission order, for comparisons with Caffe prototxts

    # --- registration -------------------------------------------------------------------------------
    def _p(self, key, shape):
        self.entries.append((key, tuple(shape), "param"))

    def _b(self, key, shape):
        self.entries.append((key, tuple(shape), "buffer"))

    def conv(self, prefix, x, cout, k, s=1, p=0, d=1, g=1, bias=False, note=""):
        cin, h, w = x
        kh, kw = pair(k)
        sh, sw = pair(s)
        ph, pw = pair(p)
        dh, dw = pair(d)
        if cin % g or cout % g:
            raise ValueError(f"{prefix}: {cin}->{cout} not divisible by groups {g}")
        oh, ow = conv_out(h, kh, sh, ph, dh), conv_out(w, kw, sw, pw, dw)
        if oh <= 0 or ow <= 0:
            raise ValueError(f"{prefix}: output {oh}x{ow} from {x}")
        self._p(prefix + ".weight", (cout, cin // g, kh, kw))
        if bias:
            self._p(prefix + ".bias", (cout,))
        macs = cout * oh * ow * kh * kw * cin // g
        self.macs += macs
        self.mac_rows.append((prefix, macs))
        desc = f"Conv2d {cin}->{cout} k{kh}x{kw} s{sh}x{sw} p{ph}x{pw}" + (f" d{dh}x{dw}" if (dh, dw) != (1, 1) else "") \
            + (f" g{g}" if g != 1 else "") + (" bias" if bias else " no-bias") + (f" {note}" if note else "")
        self.layers.append((prefix, desc, (cout, oh, ow)))
        self.ops.append(("conv", (cout, oh, ow), prefix))
        return (cout, oh, ow)

    def deconv(self, prefix, x, cout, k, s=1, p=0, op=0, g=1, bias=False, note="", fixed=False):
        cin, h, w = x
        kh, kw = pair(k)
        sh, sw = pair(s)
        ph, pw = pair(p)
        oph, opw = pair(op)
        oh, ow = deconv_out(h, kh, sh, ph, oph), deconv_out(w, kw, sw, pw, opw)
        if fixed:  # a constant kernel (e.g. bilinear), registered as a buffer, not a parameter
            self._b(prefix + ".weight", (cin, cout // g, kh, kw))
        else:
            self._p(prefix + ".weight", (cin, cout // g, kh, kw))
        if bias:
            self._p(prefix + ".bias", (cout,))
        macs = cin * h * w * kh * kw * cout // g
        self.macs += macs
        self.mac_rows.append((prefix, macs))
        desc = f"ConvTranspose2d {cin}->{cout} k{kh}x{kw} s{sh}x{sw} p{ph}x{pw} output_padding {oph}x{opw}" + \
            (f" g{g}" if g != 1 else "") + (" bias" if bias else " no-bias") + (f" {note}" if note else "")
        self.layers.append((prefix, desc, (cout, oh, ow)))
        self.ops.append(("deconv", (cout, oh, ow), prefix))
        return (cout, oh, ow)

    def bn(self, prefix, x, eps=1e-5, momentum=0.1, tracked=True):
        c = x[0]
        self._p(prefix + ".weight", (c,))
        self._p(prefix + ".bias", (c,))
        self._b(prefix + ".running_mean", (c,))
        self._b(prefix + ".running_var", (c,))
        if tracked:
            self._b(prefix + ".num_batches_tracked", ())
        self.layers.append((prefix, f"BatchNorm2d {c} eps {eps:g} momentum {momentum:g}", x))
        self.ops.append(("bn", tuple(x), prefix))
        return x

    def prelu(self, prefix, x, n=None):
        n = x[0] if n is None else n
        self._p(prefix + ".weight", (n,))
        self.layers.append((prefix, f"PReLU num_parameters {n} (init 0.25)", x))
        self.ops.append(("prelu", tuple(x), prefix))
        return x

    def note(self, prefix, desc, out, kind=None):
        """A parameter-free layer (activation, pooling, resize, add, concat, dropout ...), for the layer table;
        kind (relu, pool, add, concat, ...) also records it in ops."""
        self.layers.append((prefix, desc, tuple(out)))
        if kind:
            self.ops.append((kind, tuple(out), prefix))
        return tuple(out)

    # --- summaries ------------------------------------------------------------------------------------
    @property
    def params(self):
        return sum(_numel(s) for _, s, k in self.entries if k == "param")

    @property
    def buffers(self):
        return sum(_numel(s) for _, s, k in self.entries if k == "buffer")

    def keys(self):
        return [k for k, _, _ in self.entries]

    def prefix_params(self, prefix):
        return sum(_numel(s) for k, s, kind in self.entries if kind == "param" and k.startswith(prefix))

    def key_table(self, only_params=False):
        lines = ["| # | key | shape | kind |", "|---:|---|---|---|"]
        for i, (k, s, kind) in enumerate(self.entries):
            if only_params and kind != "param":
                continue
            lines.append(f"| {i} | `{k}` | {list(s)} | {kind} |")
        return "\n".join(lines)

    def layer_table(self):
        lines = ["| module (state-dict prefix) | layer | output C×H×W |", "|---|---|---|"]
        for prefix, desc, out in self.layers:
            lines.append(f"| `{prefix}` | {desc} | {'×'.join(str(v) for v in out)} |")
        return "\n".join(lines)

    def summary(self, published=None, hw=None):
        s = f"{self.name}: parameters {self.params:,}  buffers {self.buffers:,}  state-dict entries {len(self.entries)}"
        if hw:
            s += f"  conv MACs at {hw[0]}x{hw[1]} {self.macs:,} ({self.macs / 1e9:.3f} G)"
        if published is not None:
            s += f"  published {published:,} -> {'MATCH' if published == self.params else 'DIFFERENT'}"
        return s


def _numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n
