namespace Nas.Data.Datasets;

/// <summary>The 19 dense RailSem19 classes (uint8 id = index) with their colours, as in rs19-config.json.</summary>
public static class RailSem19Classes
{
    public static IReadOnlyList<ClassInfo> All { get; } =
    [
        new("road", 128, 64, 128),
        new("sidewalk", 244, 35, 232),
        new("construction", 70, 70, 70),
        new("tram-track", 192, 0, 128),
        new("fence", 190, 153, 153),
        new("pole", 153, 153, 153),
        new("traffic-light", 250, 170, 30),
        new("traffic-sign", 220, 220, 0),
        new("vegetation", 107, 142, 35),
        new("terrain", 152, 251, 152),
        new("sky", 70, 130, 180),
        new("human", 220, 20, 60),
        new("rail-track", 230, 150, 140),
        new("car", 0, 0, 142),
        new("truck", 0, 0, 70),
        new("trackbed", 90, 40, 40),
        new("on-rails", 0, 80, 100),
        new("rail-raised", 0, 254, 254),
        new("rail-embedded", 0, 68, 63),
    ];

    public const byte Road = 0;
    public const byte Sidewalk = 1;
    public const byte Construction = 2;
    public const byte TramTrack = 3;
    public const byte Fence = 4;
    public const byte Pole = 5;
    public const byte TrafficLight = 6;
    public const byte TrafficSign = 7;
    public const byte Vegetation = 8;
    public const byte Terrain = 9;
    public const byte Sky = 10;
    public const byte Human = 11;
    public const byte RailTrack = 12;
    public const byte Car = 13;
    public const byte Truck = 14;
    public const byte Trackbed = 15;
    public const byte OnRails = 16;
    public const byte RailRaised = 17;
    public const byte RailEmbedded = 18;
}
