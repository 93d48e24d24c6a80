using Nas.Data.Datasets;
using Nas.Data.Images;
using SkiaSharp;

namespace Nas.Data.Synthetic;

/// <summary>
/// Draws one ego-view rail scene and its label map from the same geometry: sky, distant vegetation or buildings,
/// terrain, a trackbed and two rails converging to a vanishing point (optionally curving), sleepers, a road or a
/// platform beside the track, poles, a fence, and sometimes a level crossing, a train further down the track, a
/// signal, a sign, a car or a person; then lighting,
/// tint and sensor noise on the image. Labels are drawn without antialiasing, so every label pixel is exactly the
/// class of the shape drawn last there (RailSem19 class ids).
/// <para>
/// <see cref="SyntheticDifficulty.Hard"/> adds what makes capacity and receptive field matter, drawn only in that
/// mode (standard scenes are unchanged, byte for byte): thinner rails; vehicles on the track (on-rails) and on the
/// road or a level crossing (car) drawn alike, so only their place in the scene tells them apart; steel guard rails
/// (fence) beside the track that look like running rails; small distant people and signs; haze that lowers the
/// contrast towards the horizon.
/// </para>
/// </summary>
internal sealed class SyntheticRailScene : IDisposable
{
    private readonly int _w;
    private readonly int _h;
    private readonly Random _rng;
    private readonly SKBitmap _image;
    private readonly SKBitmap _label;
    private readonly SKCanvas _imageCanvas;
    private readonly SKCanvas _labelCanvas;
    private readonly bool _hard;

    // Track geometry: t ∈ [0, 1] runs from the horizon (0) to the bottom edge (1).
    private float _horizon;
    private float _vanishX;
    private float _bottomX;
    private float _curve;
    private float _gauge;

    public SyntheticRailScene(int width, int height, Random rng, SyntheticDifficulty difficulty = SyntheticDifficulty.Standard)
    {
        _hard = difficulty == SyntheticDifficulty.Hard;
        _w = width;
        _h = height;
        _rng = rng;
        _image = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        _label = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        _imageCanvas = new SKCanvas(_image);
        _labelCanvas = new SKCanvas(_label);
    }

    public (RgbImage Image, LabelMap Label) Render()
    {
        _horizon = _h * Uniform(0.33f, 0.5f);
        _vanishX = _w * Uniform(0.38f, 0.62f);
        _bottomX = _w * Uniform(0.42f, 0.58f);
        _curve = _rng.NextDouble() < 0.4 ? Uniform(-0.35f, 0.35f) : 0f;
        _gauge = _w * Uniform(0.22f, 0.32f);

        DrawSky();
        DrawGround();
        DrawBackground();
        bool roadLeft = _rng.NextDouble() < 0.5;
        if (_rng.NextDouble() < 0.6)
        {
            DrawRoad(roadLeft);
        }

        if (_rng.NextDouble() < 0.45)
        {
            DrawPlatform(!roadLeft);
        }
        else if (_rng.NextDouble() < 0.5)
        {
            DrawFence(!roadLeft);
        }

        DrawTrack();
        (float T0, float T1)? crossing = null;
        if (_rng.NextDouble() < 0.25)
        {
            crossing = DrawCrossing();
        }

        DrawRails();
        if (_hard)
        {
            DrawHardExtras(roadLeft, crossing);
        }

        if (_rng.NextDouble() < (_hard ? 0.5 : 0.15))
        {
            DrawTrainAhead();
        }

        DrawPoles(_rng.NextDouble() < 0.5);
        if (_rng.NextDouble() < 0.35)
        {
            DrawSignal(!roadLeft);
        }

        if (_rng.NextDouble() < 0.3)
        {
            DrawSign(roadLeft);
        }

        if (_rng.NextDouble() < 0.35)
        {
            DrawCar(roadLeft);
        }

        if (_rng.NextDouble() < 0.35)
        {
            DrawPerson(!roadLeft);
        }

        _imageCanvas.Flush();
        _labelCanvas.Flush();
        return (FinishImage(), ExtractLabel());
    }

    public void Dispose()
    {
        _imageCanvas.Dispose();
        _labelCanvas.Dispose();
        _image.Dispose();
        _label.Dispose();
    }

    private float Uniform(float lo, float hi) => lo + ((float)_rng.NextDouble() * (hi - lo));

    private SKColor Jitter(byte r, byte g, byte b, int amount = 18) => new(
        (byte)Math.Clamp(r + _rng.Next(-amount, amount + 1), 0, 255),
        (byte)Math.Clamp(g + _rng.Next(-amount, amount + 1), 0, 255),
        (byte)Math.Clamp(b + _rng.Next(-amount, amount + 1), 0, 255));

    private float Y(float t) => _horizon + ((_h - _horizon) * t);

    /// <summary>Centre line of the track at depth t (with an optional bend towards the horizon).</summary>
    private float CenterX(float t) => _vanishX + ((_bottomX - _vanishX) * t) + (_curve * _w * 0.5f * (1 - t) * (1 - t) * t * 4);

    private void Fill(SKPath path, byte cls, SKPaint imagePaint)
    {
        _imageCanvas.DrawPath(path, imagePaint);
        using var labelPaint = new SKPaint { Color = new SKColor(cls, cls, cls), IsAntialias = false, Style = SKPaintStyle.Fill, BlendMode = SKBlendMode.Src };
        _labelCanvas.DrawPath(path, labelPaint);
    }

    private void Fill(SKPath path, byte cls, SKColor color)
    {
        using var paint = new SKPaint { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };
        Fill(path, cls, paint);
    }

    /// <summary>An upright rectangle centred on <paramref name="x"/> standing on <paramref name="bottom"/> (posts, bodies, faces).</summary>
    private static SKPath Upright(float x, float halfWidth, float bottom, float height) =>
        Polygon([new(x - halfWidth, bottom - height), new(x + halfWidth, bottom - height), new(x + halfWidth, bottom), new(x - halfWidth, bottom)]);

    /// <summary>A random body colour (each channel uniform in [lo, hi)), lightly jittered.</summary>
    private SKColor RandomColor(int lo, int hi) => Jitter((byte)_rng.Next(lo, hi), (byte)_rng.Next(lo, hi), (byte)_rng.Next(lo, hi), 10);

    private static SKPath Polygon(IEnumerable<SKPoint> points)
    {
        var path = new SKPath();
        path.AddPoly(points.ToArray(), close: true);
        return path;
    }

    /// <summary>A band along the track between lateral offsets (in gauges at depth t) from tStart to tEnd.</summary>
    private SKPath Band(float leftOffset, float rightOffset, float tStart = 0.002f, float tEnd = 1.02f, int steps = 24)
    {
        var left = new List<SKPoint>();
        var right = new List<SKPoint>();
        for (int i = 0; i <= steps; i++)
        {
            float t = tStart + ((tEnd - tStart) * i / steps);
            float c = CenterX(t);
            float g = _gauge * t;
            left.Add(new SKPoint(c + (leftOffset * g), Y(t)));
            right.Add(new SKPoint(c + (rightOffset * g), Y(t)));
        }

        right.Reverse();
        return Polygon(left.Concat(right));
    }

    private void DrawSky()
    {
        using var path = Polygon([new(0, 0), new(_w, 0), new(_w, _horizon + 1), new(0, _horizon + 1)]);
        SKColor top = Jitter(70, 130, 200, 25);
        SKColor bottom = Jitter(175, 200, 225, 20);
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, _horizon), [top, bottom], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        Fill(path, RailSem19Classes.Sky, paint);
    }

    private void DrawGround()
    {
        using var path = Polygon([new(0, _horizon), new(_w, _horizon), new(_w, _h), new(0, _h)]);
        SKColor far = Jitter(120, 140, 80, 20);
        SKColor near = Jitter(95, 120, 55, 20);
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, _horizon), new SKPoint(0, _h), [far, near], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader, IsAntialias = true };
        Fill(path, RailSem19Classes.Terrain, paint);
    }

    private void DrawBackground()
    {
        // A tree line along the horizon, with bumps; sometimes buildings in front of it.
        var points = new List<SKPoint> { new(0, _horizon + 2) };
        float x = 0;
        while (x < _w)
        {
            float bump = _h * Uniform(0.02f, 0.12f);
            points.Add(new SKPoint(x, _horizon - bump));
            x += _w * Uniform(0.02f, 0.06f);
        }

        points.Add(new SKPoint(_w, _horizon - (_h * 0.04f)));
        points.Add(new SKPoint(_w, _horizon + 2));
        using (SKPath trees = Polygon(points))
        {
            Fill(trees, RailSem19Classes.Vegetation, Jitter(60, 95, 40, 20));
        }

        if (_rng.NextDouble() < 0.5)
        {
            int buildings = _rng.Next(1, 5);
            for (int i = 0; i < buildings; i++)
            {
                float bw = _w * Uniform(0.05f, 0.15f);
                float bh = _h * Uniform(0.05f, 0.18f);
                float bx = Uniform(0, _w - bw);
                if (Math.Abs(bx + (bw / 2) - _vanishX) < _w * 0.08f)
                {
                    continue;
                }

                using SKPath b = Polygon([new(bx, _horizon - bh), new(bx + bw, _horizon - bh), new(bx + bw, _horizon + 1), new(bx, _horizon + 1)]);
                Fill(b, RailSem19Classes.Construction, Jitter(150, 140, 130, 40));
            }
        }
    }

    private void DrawRoad(bool left)
    {
        float inner = left ? -1.3f : 1.3f;
        float outer = left ? -3.2f : 3.2f;
        using SKPath road = Band(Math.Min(inner, outer), Math.Max(inner, outer));
        Fill(road, RailSem19Classes.Road, Jitter(95, 95, 100, 15));
    }

    private void DrawPlatform(bool left)
    {
        float inner = left ? -0.85f : 0.85f;
        float outer = left ? -2.2f : 2.2f;
        using SKPath platform = Band(Math.Min(inner, outer), Math.Max(inner, outer), 0.002f, Uniform(0.7f, 1.02f));
        Fill(platform, RailSem19Classes.Sidewalk, Jitter(175, 170, 165, 15));
        float edge = left ? -0.85f : 0.85f;
        using SKPath stripe = Band(Math.Min(edge, edge * 0.97f), Math.Max(edge, edge * 0.97f), 0.002f, 1.02f);
        Fill(stripe, RailSem19Classes.Sidewalk, new SKColor(230, 220, 60));
    }

    private void DrawFence(bool left)
    {
        float offset = left ? -1.6f : 1.6f;
        for (int i = 1; i <= 10; i++)
        {
            float t = i / 10f;
            float x = CenterX(t) + (offset * _gauge * t);
            float height = _h * 0.12f * t;
            float width = Math.Max(1, _gauge * t * 0.04f);
            using SKPath post = Upright(x, width, Y(t), height);
            Fill(post, RailSem19Classes.Fence, Jitter(120, 110, 100, 15));
        }

        using SKPath rail = Band(Math.Min(offset, offset * 1.01f), Math.Max(offset, offset * 1.01f), 0.05f, 1.02f);
        Fill(rail, RailSem19Classes.Fence, Jitter(120, 110, 100, 15));
    }

    private void DrawTrack()
    {
        using SKPath bed = Band(-0.85f, 0.85f);
        Fill(bed, RailSem19Classes.Trackbed, Jitter(110, 95, 85, 15));
        using SKPath between = Band(-0.5f, 0.5f);
        Fill(between, RailSem19Classes.RailTrack, Jitter(100, 85, 75, 12));
        SKColor sleeper = Jitter(70, 55, 45, 10);
        using var sleeperPaint = new SKPaint { Color = sleeper, IsAntialias = true, Style = SKPaintStyle.Fill };
        for (float t = 0.05f; t < 1.02f; t *= 1.12f)
        {
            float th = Math.Max(0.004f, t * 0.025f);
            var quad = new[]
            {
                new SKPoint(CenterX(t) - (_gauge * t * 0.62f), Y(t)),
                new SKPoint(CenterX(t) + (_gauge * t * 0.62f), Y(t)),
                new SKPoint(CenterX(t + th) + (_gauge * (t + th) * 0.62f), Y(t + th)),
                new SKPoint(CenterX(t + th) - (_gauge * (t + th) * 0.62f), Y(t + th)),
            };
            using SKPath s = Polygon(quad);
            _imageCanvas.DrawPath(s, sleeperPaint); // sleepers belong to the track area: image only
        }
    }

    private (float T0, float T1) DrawCrossing()
    {
        float t0 = Uniform(0.55f, 0.8f);
        float t1 = t0 + Uniform(0.06f, 0.12f);
        using SKPath crossing = Polygon([new(0, Y(t0)), new(_w, Y(t0)), new(_w, Y(t1)), new(0, Y(t1))]);
        Fill(crossing, RailSem19Classes.Road, Jitter(100, 100, 105, 10));
        return (t0, t1);
    }

    private void DrawRails()
    {
        SKColor steel = Jitter(185, 185, 190, 12);
        foreach (float side in new[] { -0.5f, 0.5f })
        {
            float half = _hard ? 0.018f : 0.035f;
            using SKPath rail = Band(side - half, side + half);
            Fill(rail, RailSem19Classes.RailRaised, steel);
        }
    }

    private void DrawPoles(bool left)
    {
        float offset = left ? -1.15f : 1.15f;
        int count = _rng.Next(2, 6);
        for (int i = 0; i < count; i++)
        {
            float t = Uniform(0.15f, 0.95f);
            float x = CenterX(t) + (offset * _gauge * t);
            float height = _h * 0.55f * t;
            float width = Math.Max(1.5f, _gauge * t * 0.05f);
            using SKPath pole = Upright(x, width, Y(t), height);
            Fill(pole, RailSem19Classes.Pole, Jitter(140, 140, 145, 15));
        }
    }

    /// <summary>A rail vehicle further down the track (on-rails), with a darker windscreen band.</summary>
    private void DrawTrainAhead()
    {
        if (_hard)
        {
            float tv = Uniform(0.06f, 0.5f);
            DrawVehicle(tv, CenterX(tv) + (Uniform(-0.1f, 0.1f) * _gauge * tv), RailSem19Classes.OnRails);
            return;
        }

        float t = Uniform(0.08f, 0.3f);
        float x = CenterX(t);
        float tw = _gauge * t * 1.6f, th = tw * Uniform(0.9f, 1.3f);
        using SKPath body = Upright(x, tw / 2, Y(t), th);
        Fill(body, RailSem19Classes.OnRails, RandomColor(60, 230));
        using var glass = new SKPaint { Color = new SKColor(30, 35, 45), IsAntialias = true };
        _imageCanvas.DrawRect(x - (tw * 0.4f), Y(t) - (th * 0.85f), tw * 0.8f, th * 0.25f, glass);
    }

    /// <summary>A signal beside the track: a post (pole) carrying a dark head (traffic-light) with one lit lamp.</summary>
    private void DrawSignal(bool left)
    {
        float t = Uniform(0.25f, 0.8f);
        float x = CenterX(t) + ((left ? -0.95f : 0.95f) * _gauge * t);
        float height = _h * 0.35f * t;
        float postW = Math.Max(1f, _gauge * t * 0.03f);
        using SKPath post = Upright(x, postW, Y(t), height);
        Fill(post, RailSem19Classes.Pole, Jitter(120, 120, 125, 10));
        float headW = Math.Max(2f, _gauge * t * 0.12f), headH = headW * 2.2f;
        using SKPath head = Upright(x, headW, Y(t) - height, headH);
        Fill(head, RailSem19Classes.TrafficLight, Jitter(25, 25, 28, 6));
        SKColor lamp = _rng.Next(3) switch
        {
            0 => new SKColor(230, 40, 30),
            1 => new SKColor(40, 220, 80),
            _ => new SKColor(240, 200, 40),
        };
        using var lampPaint = new SKPaint { Color = lamp, IsAntialias = true };
        _imageCanvas.DrawCircle(x, Y(t) - height - (headH * 0.7f), headW * 0.55f, lampPaint);
    }

    /// <summary>A sign on a short post (traffic-sign face, pole post).</summary>
    private void DrawSign(bool left)
    {
        float t = Uniform(0.3f, 0.9f);
        float x = CenterX(t) + ((left ? -1.05f : 1.05f) * _gauge * t);
        float height = _h * 0.18f * t;
        float postW = Math.Max(1f, _gauge * t * 0.025f);
        using SKPath post = Upright(x, postW, Y(t), height);
        Fill(post, RailSem19Classes.Pole, Jitter(130, 130, 135, 10));
        float size = Math.Max(3f, _gauge * t * 0.22f);
        using SKPath face = Upright(x, size / 2, Y(t) - height, size);
        Fill(face, RailSem19Classes.TrafficSign, _rng.NextDouble() < 0.5 ? Jitter(235, 235, 235, 10) : Jitter(230, 200, 30, 10));
    }

    private void DrawCar(bool left)
    {
        if (_hard)
        {
            float tv = Uniform(0.1f, 0.9f);
            DrawVehicle(tv, CenterX(tv) + ((left ? -2.2f : 2.2f) * _gauge * tv), RailSem19Classes.Car);
            return;
        }

        float t = Uniform(0.3f, 0.9f);
        float x = CenterX(t) + ((left ? -2.2f : 2.2f) * _gauge * t);
        float cw = _gauge * t * 1.1f, ch = cw * 0.55f;
        using SKPath body = Upright(x, cw / 2, Y(t), ch);
        Fill(body, RailSem19Classes.Car, RandomColor(40, 220));
        using var glass = new SKPaint { Color = new SKColor(40, 50, 60), IsAntialias = true };
        _imageCanvas.DrawRect(x - (cw * 0.35f), Y(t) - (ch * 0.9f), cw * 0.7f, ch * 0.35f, glass);
    }

    private void DrawPerson(bool left) => DrawPersonAt(left, Uniform(0.35f, 0.95f));

    private void DrawPersonAt(bool left, float t)
    {
        float x = CenterX(t) + ((left ? -1.4f : 1.4f) * _gauge * t);
        float ph = _h * 0.28f * t, pw = ph * 0.28f;
        using var path = new SKPath();
        path.AddRect(new SKRect(x - (pw / 2), Y(t) - (ph * 0.8f), x + (pw / 2), Y(t)));
        path.AddOval(new SKRect(x - (pw * 0.3f), Y(t) - ph, x + (pw * 0.3f), Y(t) - (ph * 0.78f)));
        Fill(path, RailSem19Classes.Human, RandomColor(30, 200));
    }

    /// <summary>
    /// Hard scenes only: steel guard rails (fence) beside the track, small distant people and signs, and a car on a
    /// level crossing right on the track, where only the crossing's band tells it from a rail vehicle.
    /// </summary>
    private void DrawHardExtras(bool roadLeft, (float T0, float T1)? crossing)
    {
        if (_rng.NextDouble() < 0.6)
        {
            SKColor steel = Jitter(185, 185, 190, 12);
            foreach (float side in _rng.NextDouble() < 0.5 ? new[] { -1.1f, 1.1f } : new[] { roadLeft ? 1.1f : -1.1f })
            {
                using SKPath guard = Band(side - 0.018f, side + 0.018f, 0.04f, 1.02f);
                Fill(guard, RailSem19Classes.Fence, steel);
            }
        }

        int people = _rng.Next(1, 4);
        for (int i = 0; i < people; i++)
        {
            DrawPersonAt(_rng.NextDouble() < 0.5, Uniform(0.1f, 0.45f));
        }

        if (_rng.NextDouble() < 0.5)
        {
            float t = Uniform(0.12f, 0.4f);
            float x = CenterX(t) + ((_rng.NextDouble() < 0.5 ? -1.05f : 1.05f) * _gauge * t);
            float size = Math.Max(2f, _gauge * t * 0.22f);
            using SKPath face = Upright(x, size / 2, Y(t) - (_h * 0.18f * t), size);
            Fill(face, RailSem19Classes.TrafficSign, _rng.NextDouble() < 0.5 ? Jitter(235, 235, 235, 10) : Jitter(230, 200, 30, 10));
        }

        if (crossing is (float t0, float t1) && _rng.NextDouble() < 0.6)
        {
            float t = (t0 + t1) / 2;
            DrawVehicle(t, CenterX(t) + (Uniform(-0.3f, 0.3f) * _gauge * t), RailSem19Classes.Car);
        }
    }

    /// <summary>Hard scenes: one body for cars and rail vehicles (same sizes, colours and windows), labelled <paramref name="cls"/>.</summary>
    private void DrawVehicle(float t, float x, byte cls)
    {
        float vw = _gauge * t * Uniform(1.0f, 1.5f);
        float vh = vw * Uniform(0.6f, 1.1f);
        using SKPath body = Upright(x, vw / 2, Y(t), vh);
        Fill(body, cls, RandomColor(40, 220));
        using var glass = new SKPaint { Color = new SKColor(35, 42, 52), IsAntialias = true };
        _imageCanvas.DrawRect(x - (vw * 0.38f), Y(t) - (vh * 0.88f), vw * 0.76f, vh * 0.3f, glass);
    }

    private RgbImage FinishImage()
    {
        float gain = Uniform(0.65f, 1.3f);
        float contrast = Uniform(0.8f, 1.2f);
        float tintR = Uniform(0.92f, 1.08f), tintB = Uniform(0.92f, 1.08f);
        float noise = Uniform(2f, 9f);
        float haze = _hard ? Uniform(0.25f, 0.6f) : 0f;
        float hazeGrey = 175f;
        var image = new RgbImage(_w, _h);
        ReadOnlySpan<byte> src = _image.GetPixelSpan();
        int rowBytes = _image.RowBytes;
        for (int y = 0; y < _h; y++)
        {
            for (int x = 0; x < _w; x++)
            {
                int s = (y * rowBytes) + (x * 4);
                int d = ((y * _w) + x) * 3;

                // Haze: full strength at and above the horizon, fading out over the upper third of the ground.
                float a = haze <= 0 ? 0 : haze * Math.Clamp(1f - ((y - _horizon) / ((_h - _horizon) * 0.35f)), 0f, 1f);
                for (int c = 0; c < 3; c++)
                {
                    float v = src[s + c];
                    v = (v * (1 - a)) + (hazeGrey * a);
                    v = ((v - 128f) * contrast) + 128f;
                    v *= gain * (c == 0 ? tintR : c == 2 ? tintB : 1f);
                    v += noise * (float)((_rng.NextDouble() + _rng.NextDouble() + _rng.NextDouble() - 1.5) * 1.4);
                    image.Pixels[d + c] = (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
                }
            }
        }

        return image;
    }

    private LabelMap ExtractLabel()
    {
        var label = new LabelMap(_w, _h);
        ReadOnlySpan<byte> src = _label.GetPixelSpan();
        int rowBytes = _label.RowBytes;
        for (int y = 0; y < _h; y++)
        {
            for (int x = 0; x < _w; x++)
            {
                label.Indices[(y * _w) + x] = src[(y * rowBytes) + (x * 4)];
            }
        }

        return label;
    }
}
