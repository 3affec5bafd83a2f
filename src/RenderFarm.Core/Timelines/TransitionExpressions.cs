namespace RenderFarm.Core.Timelines;

/// <summary>
/// The GLSL-only IMS transitions (gl-transitions shaders) as ffmpeg xfade custom expressions. xfade
/// evaluates an expression per pixel and per plane of a 4:4:4 frame (Y, U, V and alpha, 8 bit) with
/// A and B the outgoing and incoming pixel, X, Y, W, H, and P going from 1 to 0; a0..a3(x,y) and
/// b0..b3(x,y) sample a plane anywhere. The expressions keep no state (no st/ld): xfade evaluates one
/// expression on several threads at once and st/ld would race. Written in the shaders' terms: p is the
/// shader's progress (0 to 1), u and v the position in the frame (0 to 1, v downwards).
/// </summary>
internal static partial class TransitionExpressions
{
    private const string p = "(1-P)";
    private const string u = "(X/W)";
    private const string v = "(Y/H)";

    /// <summary>
    /// Whether an expression is a blend A*(1-m)+B*m whose weight m depends on the position and progress only:
    /// it reads no plane number and samples no picture, so evaluated with A=0 and B=255 it draws the mask m.
    /// </summary>
    public static bool IsMask(string expression) =>
        !expression.Contains("PLANE", StringComparison.Ordinal) && !Sampler().IsMatch(expression);

    [System.Text.RegularExpressions.GeneratedRegex(@"\b[ab][0-3]\(")]
    private static partial System.Text.RegularExpressions.Regex Sampler();

    /// <summary>An expression clamped to the 8-bit range (xfade stores the value unclamped).</summary>
    public static string Expression(string body) => $"clip({body},0,255)";

    // Samplers: the current plane of the outgoing (A) or incoming (B) frame at a position in the frame (0..1).
    private static string SA(string x, string y) => Sample("a", $"({x})*W", $"({y})*H");
    private static string SB(string x, string y) => Sample("b", $"({x})*W", $"({y})*H");
    private static string PA(string x, string y) => Sample("a", x, y);
    private static string PB(string x, string y) => Sample("b", x, y);

    private static string Sample(string side, string x, string y) =>
        $"if(eq(PLANE,0),{side}0({x},{y}),if(eq(PLANE,1),{side}1({x},{y}),if(eq(PLANE,2),{side}2({x},{y}),{side}3({x},{y}))))";

    private static string Mix(string a, string b, string t) => $"(({a})*(1-({t}))+({b})*({t}))";

    /// <summary>A smooth 0..1 step of t over 0..1 (the shaders' smoothstep, with one copy of t).</summary>
    private static string Ease(string t) => $"(0.5-0.5*cos(PI*clip({t},0,1)))";

    private static string Hash(string x) => $"mod(abs(sin({x})*43758.5453),1)";

    /// <summary>Triangle wave folding any number into 0..1 (a mirror).</summary>
    private static string Fold(string x) => $"abs(mod(({x})+1000,2)-1)";

    private static string Grey(int luma) => $"if(eq(PLANE,3),255,if(PLANE,128,{luma}))";

    private static string Black => Grey(16);

    /// <summary>Frame position around the centre in frame heights (round shapes stay round).</summary>
    private const string cx = "((X-W/2)/H)";
    private const string cy = "((Y-H/2)/H)";

    // One wavy field (two sines, not three: the field is evaluated twice per pixel and plane).
    public static string Displacement => Displace("(0.25+0.25*sin(X/W*17+Y/H*23+3*sin(X/W*9)))");

    private static string Displace(string d) => Mix(SA($"{u}+{p}*{d}", v), SB($"{u}-P*{d}", v), p);

    public static string WindowSlice =>
        $"if(gte(mod({u}*10,1),{Ease($"({u}-{p}*1.5+0.5)/0.5")}),B,A)";

    public static string BowTie(bool vertical) => vertical
        ? $"if(lt(abs({v}-0.5),{p}*(0.5+abs({u}-0.5))),B,A)"
        : $"if(lt(abs({u}-0.5),{p}*(0.5+abs({v}-0.5))),B,A)";

    private const string dist = "hypot(X/W-0.5,Y/H-0.5)";

    public static string Waterdrop => $"if(gt({dist},{p}),{Mix("A", "B", p)},"
        + Mix(SA($"{u}+({u}-0.5)*sin({dist}*30-{p}*30)", $"{v}+({v}-0.5)*sin({dist}*30-{p}*30)"), "B", p) + ")";

    public static string GlitchMemories => GlitchMemoriesOf(
        $"({Hash($"floor(X/16)*7.13+floor(Y/16)*13.7+floor({p}*20)*3.31")}-0.5)*0.3*sin(PI*{p})*(0.4+0.3*PLANE)",
        $"({Hash($"floor(X/16)*3.71+floor(Y/16)*17.3+floor({p}*20)*5.17")}-0.5)*0.3*sin(PI*{p})*(0.4+0.3*PLANE)");

    private static string GlitchMemoriesOf(string dx, string dy) => Mix(SA($"{u}+{dx}", $"{v}+{dy}"), SB($"{u}+{dx}", $"{v}+{dy}"), p);

    public static string Polka => $"if(lt(hypot(mod(X/H*20,1)-0.5,mod(Y/H*20,1)-0.5),{p}/hypot({u},1-{v})),B,A)";

    private const string Noise = "(0.5+0.125*(sin(X/W*13+2*sin(Y/H*7))+sin(Y/H*11+2*sin(X/W*5))+sin((X/W+Y/H)*9)+sin((X/W-Y/H)*17)))";

    public static string Perlin => $"if(lt({Noise},{p}*1.04-0.02),B,A)";

    public static string DirectionalWarp => Warp($"(1-{Ease($"(0.5-0.5*{u}-0.5*{v}+1-1.5*{p})*2")})");

    private static string Warp(string m) =>
        Mix(SA($"({u}-0.5)*(1-{m})+0.5", $"({v}-0.5)*(1-{m})+0.5"), SB($"({u}-0.5)*{m}+0.5", $"({v}-0.5)*{m}+0.5"), m);

    /// <summary>The progress in an overlay's y expression: its frame's time over the transition's length (overlay's
    /// frame number n counts from 1 in ffmpeg 5.1, its time t from 0).</summary>
    public const string OverlayProgress = "(t/" + TransitionCatalog.OverlayDuration + ")";

    /// <summary>
    /// Bounce: the outgoing picture drops out over the incoming one, its edge bouncing three times. A pure move
    /// of the whole picture, so it is an overlay's y (H the frame height) at full size, not a per-pixel expression.
    /// </summary>
    public static string Bounce(bool up)
    {
        var height = $"(abs(cos({OverlayProgress}*PI*3))*(1-sin({OverlayProgress}*PI/2)))";
        return up ? $"({height}-1)*H" : $"(1-{height})*H";
    }

    private const string MorphOffset = "((a0(X,Y)+b0(X,Y))/510*2-1)*0.1";

    public static string Morph =>
        Mix(SA($"{u}+{MorphOffset}*{p}", $"{v}+{MorphOffset}*{p}"), SB($"{u}-{MorphOffset}*P", $"{v}-{MorphOffset}*P"), p);

    public static string Swirl => SwirlOf($"(pow(max(0,1-{dist}),2)*(1-abs(2*{p}-1))*8*PI)");

    private static string SwirlOf(string theta)
    {
        var (x, y) = ($"((X/W-0.5)*cos({theta})-(Y/H-0.5)*sin({theta})+0.5)", $"((X/W-0.5)*sin({theta})+(Y/H-0.5)*cos({theta})+0.5)");
        return Mix(SA(x, y), SB(x, y), p);
    }

    public static string Dreamy => Mix(SA(u, $"{v}+0.08*{p}*cos(10*({p}+{u}))"), SB(u, $"{v}+0.08*P*cos(10*(P+{u}))"), p);

    // 4x4 cells flip about their vertical axis one after another, the outgoing picture on the front.
    private const string CellDelay = "(mod(abs(sin(floor(X/W*4)*12.9898+floor(Y/H*4)*78.233)*43758.5453),1)*0.4)";
    private static string CellProgress => $"clip(({p}-{CellDelay})/0.6,0,1)";
    private static string CellWidth => $"abs(1-2*{CellProgress})";

    public static string GridFlip =>
        $"if(lt(abs(mod({u}*4,1)-0.5),{CellWidth}*(0.5-0.05*sin(PI*{p})))*lt(abs(mod({v}*4,1)-0.5),0.5-0.05*sin(PI*{p})),"
        + $"if(lt({CellProgress},0.5),{SA(FlipX, v)},{SB(FlipX, v)}),{Black})";

    private static string FlipX => $"(floor({u}*4)+0.5+(mod({u}*4,1)-0.5)/{CellWidth})/4";

    public static string ZoomInCircles =>
        $"if(lt(hypot(mod(X/H*4,1)-0.5,mod(Y/H*4,1)-0.5),{p}*0.75),{SB($"0.5+({u}-0.5)*(0.5+0.5*{p})", $"0.5+({v}-0.5)*(0.5+0.5*{p})")},"
        + $"{SA($"0.5+({u}-0.5)*(1-0.3*{p})", $"0.5+({v}-0.5)*(1-0.3*{p})")})";

    private static string Tiles => $"(1+floor(3*sin(PI*{p})))";

    public static string Mosaic =>
        Mix(SA($"mod({u}*{Tiles},1)", $"mod({v}*{Tiles},1)"), SB($"mod({u}*{Tiles},1)", $"mod({v}*{Tiles},1)"), Ease(p));

    private static string Undulating => $"(hypot({cx},{cy})+0.04*sin(atan2({cy},{cx})*8+{p}*12))";

    public static string UndulatingBurnout =>
        $"if(lt({Undulating},{p}*1.05-0.05),B,if(lt({Undulating},{p}*1.05-0.05+0.06*sin(PI*{p})),{Black},A))";

    private static string Hatch =>
        $"gte({p}-min({Hash("Y*1.37+0.5")},{Hash("X*2.11+3.1")}),{dist}/3)";

    public static string Crosshatch => Mix("A", "B", $"{Mix(Hatch, "1", Ease($"({p}-0.9)/0.1"))}*{Ease($"{p}/0.1")}");

    public static string CrazyParametricFun => CrazyOf(
        $"(3*cos({p})+cos(3*{p}))", $"(3*sin({p})-sin(3*{p}))");

    private static string CrazyOf(string x, string y) => Mix(
        SA($"{u}+({u}-0.5)*sin({p}*{dist}*120*{x})/10", $"{v}+({v}-0.5)*sin({p}*{dist}*120*{y})/10"), "B", Ease($"({p}-0.2)/0.8"));

    public static string Kaleidoscope => KaleidoscopeOf(
        Fold($"1.5*((X/W-0.5)*cos(PI*{p})-(Y/H-0.5)*sin(PI*{p}))+0.5"),
        Fold($"1.5*((X/W-0.5)*sin(PI*{p})+(Y/H-0.5)*cos(PI*{p}))+0.5"));

    private static string KaleidoscopeOf(string x, string y) =>
        Mix(Mix("A", "B", p), Mix(SA(x, y), SB(x, y), p), $"(1-abs(2*{p}-1))");

    public static string WindowBlinds =>
        Mix("A", "B", $"clip({Mix($"{p}*if(eq(mod(floor({v}*100*{p}),2),0),1.5,1)", p, Ease($"({p}-0.8)/0.2"))},0,1)");

    // Staggered cells (every other row shifted by half a cell) growing to 16 px at mid-transition.
    private static string Cell => $"(1+15*sin(PI*{p}))";
    private static string CellRow => $"floor(Y/{Cell})";
    private static string CellShift => $"(mod({CellRow},2)*{Cell}/2)";
    private static string CellX => $"((floor((X+{CellShift})/{Cell})+0.5)*{Cell}-{CellShift})";
    private static string CellY => $"(({CellRow}+0.5)*{Cell})";

    public static string Hexagonalize => Mix(PA(CellX, CellY), PB(CellX, CellY), p);

    private static string BandShift =>
        $"(({Hash($"floor({v}*12)*7.3+floor({p}*8)*3.1")}-0.5)*0.4*sin(PI*{p}))";

    public static string GlitchDisplace => $"if(lt({p},0.5),{SA($"{u}+{BandShift}", v)},{SB($"{u}-{BandShift}", v)})";

    private static string ZoomAngle => $"(0.105*if(lt({p},0.5),2*{p},2*{p}-2))";
    private static string ZoomScale => $"(1+0.2*(1-abs(2*{p}-1)))";
    private static string ZoomX => $"(((X-W/2)*cos({ZoomAngle})-(Y-H/2)*sin({ZoomAngle}))/{ZoomScale}+W/2)";
    private static string ZoomY => $"(((X-W/2)*sin({ZoomAngle})+(Y-H/2)*cos({ZoomAngle}))/{ZoomScale}+H/2)";

    public static string DreamyZoom => Mix(PA(ZoomX, ZoomY), PB(ZoomX, ZoomY), Ease($"({p}-0.35)/0.3"));

    // 30 columns drip at their own speeds; every one is gone when p reaches 1.
    private static string Drip => $"({p}*(1+{Hash("floor(X/W*30)*3.7+1")}*0.5+0.25*sin(floor(X/W*30)*0.5)+0.25))";

    public static string Doom(bool up) => up
        ? $"if(lte({v},1-{Drip}),{SA(u, $"{v}+{Drip}")},B)"
        : $"if(gte({v},{Drip}),{SA(u, $"{v}-{Drip}")},B)";

    private static string RippleWave => $"((sin({p}*{dist}*100-{p}*50)+0.5)/30)";

    public static string Ripple => Mix(SA($"{u}+({u}-0.5)*{RippleWave}", $"{v}+({v}-0.5)*{RippleWave}"), "B", Ease($"({p}-0.2)/0.8"));

    public static string Pinwheel => $"if(gt({p},mod(atan2(0.5-{v},{u}-0.5)+{p}*2+4*PI,PI/4)),B,A)";

    public static string Angular => $"if(lte(mod((atan2(0.5-{v},{u}-0.5)+PI/2+PI)/(2*PI)+2,1),{p}),B,A)";

    // The shader adds orange (0.9, 0.4, 0.2) as it burns: that colour's Y, U and V offsets (limited range).
    private const string Orange = "if(eq(PLANE,0),115,if(eq(PLANE,1),-41,if(eq(PLANE,2),60,0)))";

    public static string Burn => Mix($"A+{Orange}*{p}", $"B+{Orange}*P", p);

    public static string Circle =>
        $"if(gt({dist},sqrt(8)*abs({p}-0.5)),{Grey(38)},if(lt({p},0.5),A,B))";

    public static string ColorPhase =>
        Mix("A", "B", $"if(eq(PLANE,0),{Ease($"{p}/0.6")},if(eq(PLANE,1),{Ease($"({p}-0.2)/0.6")},if(eq(PLANE,2),{Ease($"({p}-0.4)/0.6")},{p})))");

    private static string CrossX => Ease($"{p}*2+{u}-1");

    public static string CrossWarp =>
        Mix(SA($"({u}-0.5)*(1-{CrossX})+0.5", $"({v}-0.5)*(1-{CrossX})+0.5"), SB($"({u}-0.5)*{CrossX}+0.5", $"({v}-0.5)*{CrossX}+0.5"), CrossX);

    // The outgoing face fills 0..1-p of the width and the incoming one the rest; each shrinks in height
    // towards its far edge.
    private static string FaceA => $"(1-0.3*{p}*(1-{u}/P))";
    private static string FaceB => $"(1-0.3*P*({u}-P)/{p})";

    public static string Cube =>
        $"if(lt({u},P),if(lt(abs({v}-0.5),{FaceA}/2),{SA($"{u}/P", $"0.5+({v}-0.5)/{FaceA}")},{Black}),"
        + $"if(lt(abs({v}-0.5),{FaceB}/2),{SB($"({u}-P)/{p}", $"0.5+({v}-0.5)/{FaceB}")},{Black}))";

    public static string DirectionalWipe => Mix("A", "B", $"(1-{Ease($"{u}+{v}+1-3*{p}")})");

    private static string DoorZoom => $"(0.4+0.6*{p})";

    public static string Doorway =>
        $"if(lt({u},0.5-0.5*{p}),{SA($"{u}+0.5*{p}", v)},if(gt({u},0.5+0.5*{p}),{SA($"{u}-0.5*{p}", v)},"
        + $"if(lt(abs({u}-0.5),{DoorZoom}/2)*lt(abs({v}-0.5),{DoorZoom}/2),{SB($"({u}-0.5)/{DoorZoom}+0.5", $"({v}-0.5)/{DoorZoom}+0.5")},{Black})))";

    private const string Separation = "if(eq(PLANE,1),0.7,if(eq(PLANE,2),1.3,1))";

    public static string FlyEye =>
        $"{SB($"{u}+P*0.04*cos(50*{u})", $"{v}+P*0.04*sin(50*{v})")}*{p}"
        + $"+{SA($"{u}+{p}*0.04*cos(50*{u})*{Separation}", $"{v}+{p}*0.04*sin(50*{v})*{Separation}")}*P";

    private static string HeartX => $"(({u}-0.5)/(1.6*max({p},0.0001)))";
    private static string HeartY => $"((0.6-{v})/(1.6*max({p},0.0001)))";

    public static string Heart =>
        $"if(gte({HeartX}*{HeartX}*pow({HeartY},3),pow({HeartX}*{HeartX}+{HeartY}*{HeartY}-0.3,3)),B,A)";

    public static string Luma => Mix("A", "B", $"clip(({p}*1.2-a0(X,Y)/255)/0.2,0,1)");

    private const string Multiplied = "if(eq(PLANE,0),(A-16)*(B-16)/219+16,(A+B)/2)";

    public static string MultiplyBlend =>
        $"if(lt({p},0.5),{Mix("A", Multiplied, $"2*{p}")},{Mix(Multiplied, "B", $"2*{p}-1")})";

    public static string PolarFunction =>
        $"if(gt({dist},(cos(5*(atan2(0.5-{v},{u}-0.5)-PI/2))+4)/4*{p}),A,B)";

    public static string RandomSquares =>
        Mix("A", "B", Ease($"(1.5*{p}-{Hash("floor(X/W*10)*12.9898+floor(Y/H*10)*78.233")})*2"));

    private static string TurnAngle => $"(2*PI*{p})";
    private static string TurnScale => $"(8-14*abs({p}-0.5))";
    private static string TurnX => $"(((X-W/2)*cos({TurnAngle})-(Y-H/2)*sin({TurnAngle}))/{TurnScale}+W/2)";
    private static string TurnY => $"(((X-W/2)*sin({TurnAngle})+(Y-H/2)*cos({TurnAngle}))/{TurnScale}+H/2)";

    public static string RotateScaleFade =>
        $"if(between({TurnX},0,W-1)*between({TurnY},0,H-1),{Mix(PA(TurnX, TurnY), PB(TurnX, TurnY), p)},{Grey(49)})";

    private static string WireStep => Ease($"(0.667*{u}-0.333*(1-{v})-0.1667+0.5-2.6*{p}+1.6)/1.6");

    public static string SquaresWire =>
        $"if(gt({p},0)*gte(mod({u}*10,1),{WireStep}/2)*gte(mod({v}*10,1),{WireStep}/2)"
        + $"*lte(mod({u}*10,1),1-{WireStep}/2)*lte(mod({v}*10,1),1-{WireStep}/2),B,A)";

    // Two cards: the outgoing one shrinks away to the left, the incoming one grows in from the right.
    private static string CardA => $"(1-0.5*{p})";
    private static string CardAX => $"(0.5-0.3*sin(PI*{p}))";
    private static string CardB => $"(0.5+0.5*{p})";
    private static string CardBX => $"(0.5+0.3*sin(PI*{p}))";
    private static string OnA => $"lt(abs({u}-{CardAX}),{CardA}/2)*lt(abs({v}-0.5),{CardA}/2)";
    private static string OnB => $"lt(abs({u}-{CardBX}),{CardB}/2)*lt(abs({v}-0.5),{CardB}/2)";
    private static string ShowA => SA($"({u}-{CardAX})/{CardA}+0.5", $"({v}-0.5)/{CardA}+0.5");
    private static string ShowB => SB($"({u}-{CardBX})/{CardB}+0.5", $"({v}-0.5)/{CardB}+0.5");

    public static string Swap =>
        $"if(lt({p},0.5),if({OnA},{ShowA},if({OnB},{ShowB},{Black})),if({OnB},{ShowB},if({OnA},{ShowA},{Black})))";

    public static string Wind => Mix("A", "B", Ease($"({p}*1.2-{u}*0.8-0.2*{Hash("Y*1.7+0.3")})/0.2"));
}
