using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;
using static RenderFarm.Media.Compilation.FilterGraphText;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// One ffmpeg filter chain per IMS VFX SubType (<see cref="VfxCatalog"/>). Each look is drawn on a
/// copy of the canvas cut to the effect's frames (trim by timestamp) and laid back over the canvas
/// with overlay enabled over the same range: frames outside the range pass through untouched, so a
/// look may change pixel format or geometry inside its branch and single-pass and segment renders
/// still agree outside it. Animations read absolute time (t/T) as progress p = (t - start) / duration,
/// never a frame counter, so a segment that starts mid-effect draws the same frames. Particles,
/// sparkles and lights are procedural (geq over a hashed cell grid): ffmpeg has no sprites.
/// </summary>
internal static class VfxLooks
{
    public static bool Draws(string subType) => Looks.ContainsKey(subType);

    public static string Apply(FilterGraph graph, string canvas, FrameEffect effect, OutputFormat output, string enable)
    {
        var start = output.FrameToSeconds(effect.StartFrame);
        var look = new Look(graph, start, output.FrameToSeconds(effect.EndFrame) - start, output.Width, output.Height);
        var copies = graph.Split(canvas, 2);
        var part = graph.Chain(copies[1], Filter("trim", ("start_pts", effect.StartFrame), ("end_pts", effect.EndFrame)));
        var drawn = Looks[effect.Item.SubType](look, part);
        var treated = graph.Chain(drawn, Filter("scale", ("w", output.Width), ("h", output.Height)), "setsar=1", "format=yuv420p");
        return graph.Chain([copies[0], treated], [Filter("overlay", ("eof_action", "pass"), ("enable", enable))]);
    }

    /// <summary>What a look knows: the graph, the effect's start and length (s) and the frame size; expression pieces over them.</summary>
    private sealed record Look(FilterGraph Graph, double Start, double Duration, int W, int H)
    {
        /// <summary>Progress 0..1 for filters whose time variable is t (eq, hue, rotate, drawbox).</summary>
        public string Pt => $"clip((t-{Number(Start)})/{Number(Duration)},0,1)";
        /// <summary>Progress 0..1 for geq and blend (time variable T).</summary>
        public string P => $"clip((T-{Number(Start)})/{Number(Duration)},0,1)";
        public const string U = "(X/W)";
        public const string V = "(Y/H)";
        /// <summary>Width over height: distances in units of the frame height stay round.</summary>
        public string A => Number(W / (double)H);
        public string Dx(double cx = 0.5) => $"(({U}-{Number(cx)})*{A})";
        public string Dy(double cy = 0.5) => $"({V}-{Number(cy)})";
        public string R(double cx = 0.5, double cy = 0.5) => $"hypot({Dx(cx)},{Dy(cy)})";
        public string Angle => $"atan2({Dy()},{Dx()})";

        public string Chain(string input, params string[] filters) => Graph.Chain(input, filters);

        public string Yuv(string input, string lum, string cb, string cr) =>
            Chain(input, Filter("geq", ("lum", lum), ("cb", cb), ("cr", cr)));

        /// <summary>Every plane sampled at (fu, fv), expressions of U and V in 0..1.</summary>
        public string Warp(string input, string fu, string fv) =>
            Yuv(input, $"lum(({fu})*W,({fv})*H)", $"cb(({fu})*W,({fv})*H)", $"cr(({fu})*W,({fv})*H)");

        /// <summary>The picture where <paramref name="show"/> holds, elsewhere darkened to <paramref name="keep"/> (0 black).</summary>
        public string Mask(string input, string show, double keep = 0) =>
            Yuv(input, $"if({show},lum(X,Y),16+(lum(X,Y)-16)*{Number(keep)})",
                $"if({show},cb(X,Y),128+(cb(X,Y)-128)*{Number(keep)})", $"if({show},cr(X,Y),128+(cr(X,Y)-128)*{Number(keep)})");

        /// <summary>Graded picture plus light: luma scaled by gain then <paramref name="add"/> added, chroma scaled by sat then shifted.</summary>
        public string Light(string input, string add, double gain = 1, double sat = 1, string du = "0", string dv = "0") =>
            Yuv(input, $"clip(16+(lum(X,Y)-16)*{Number(gain)}+({add}),16,235)",
                $"clip(128+(cb(X,Y)-128)*{Number(sat)}+({du}),16,240)", $"clip(128+(cr(X,Y)-128)*{Number(sat)}+({dv}),16,240)");

        /// <summary>Two copies blended: the second weighted by <paramref name="weight"/> (an expression of T).</summary>
        public string Mix(string input, Func<string, string> other, string weight)
        {
            var copies = Graph.Split(input, 2);
            return Graph.Chain([copies[0], other(copies[1])], [Filter("blend", ("all_expr", $"A*(1-({weight}))+B*({weight})"))]);
        }

        public string Rgb(string input, string r, string g, string b) =>
            Chain(input, "format=gbrp", Filter("geq", ("r", r), ("g", g), ("b", b)));

        /// <summary>
        /// Procedural particles on a graded picture: the frame is cut into cells <paramref name="cell"/>
        /// (of the frame height) moving at (vx, vy) per second (or outwards from the centre when radial);
        /// a cell whose hash passes <paramref name="density"/> holds a dot of the given shape and size
        /// (fraction of the cell), twinkling at <paramref name="twinkle"/> Hz; colour fixed or per dot.
        /// </summary>
        public string Dots(string input, Dot dot, Grade grade)
        {
            var (qx, qy) = dot.Radial
                ? ($"({Angle}/(2*PI)+1)", $"({R()}-{Number(dot.Vy)}*T)")
                : ($"({U}*{A}-{Number(dot.Vx)}*T)", $"({V}-{Number(dot.Vy)}*T)");
            var size = dot.Twinkle > 0 ? $"{Number(dot.Size)}*(0.55+0.45*sin(2*PI*{Number(dot.Twinkle)}*T+ld(7)*6.283))" : Number(dot.Size);
            var shape = dot.Shape switch
            {
                Shape.Cross => $"lt(min(abs(ld(4)),abs(ld(5))),{size}*0.22)*lt(max(abs(ld(4)),abs(ld(5))),{size})",
                Shape.Streak => $"lt(abs(ld(4)-ld(5)*0.4),{size}*0.12)*lt(abs(ld(5)),{size})",
                Shape.Ring => $"lt(abs(hypot(ld(4),ld(5))-{size}),0.06)",
                Shape.Heart => $"lt(pow(pow(ld(4)/{size},2)+pow(-ld(5)/{size}+0.3,2)-0.5,3)-pow(ld(4)/{size},2)*pow(-ld(5)/{size}+0.3,3)*0.6,0)",
                _ => $"lt(hypot(ld(4),ld(5)),{size})",
            };
            var head = $"st(0,{qx}/{Number(dot.Cell)});st(1,{qy}/{Number(dot.Cell)});st(2,floor(ld(0)));st(3,floor(ld(1)));" +
                       "st(4,ld(0)-ld(2)-0.5);st(5,ld(1)-ld(3)-0.5);" +
                       "st(6,mod(abs(sin(ld(2)*12.9898+ld(3)*78.233))*43758.5453,1));" +
                       "st(7,mod(abs(sin(ld(2)*39.3468+ld(3)*11.135))*24634.6345,1));" +
                       $"st(8,gt(ld(6),{Number(1 - dot.Density)})*{shape});";
            var (u, v) = dot.Colourful ? ("128+100*cos(2*PI*ld(7))", "128+100*sin(2*PI*ld(7))") : (Number(dot.U), Number(dot.V));
            return Yuv(input,
                head + $"if(ld(8),{Number(dot.Y)},clip(16+(lum(X,Y)-16)*{Number(grade.Gain)}+{Number(grade.Add)},16,235))",
                head + $"if(ld(8),{u},clip(128+(cb(X,Y)-128)*{Number(grade.Sat)}+{Number(grade.Du)},16,240))",
                head + $"if(ld(8),{v},clip(128+(cr(X,Y)-128)*{Number(grade.Sat)}+{Number(grade.Dv)},16,240))");
        }

        /// <summary>A zoom by factor <paramref name="z"/> (an expression) about (cx, cy).</summary>
        public string Zoom(string input, string z, string cx = "0.5", string cy = "0.5") =>
            Warp(input, $"{cx}+({U}-{cx})/({z})", $"{cy}+({V}-{cy})/({z})");
    }

    private enum Shape { Circle, Cross, Streak, Ring, Heart }

    private sealed record Dot(double Cell, double Density, double Size, Shape Shape = Shape.Circle, double Vx = 0, double Vy = 0,
        double Twinkle = 0, double Y = 235, double U = 128, double V = 128, bool Colourful = false, bool Radial = false);

    /// <summary>The picture under the particles: luma gain and lift, saturation, chroma shift.</summary>
    private sealed record Grade(double Gain = 1, double Add = 0, double Sat = 1, double Du = 0, double Dv = 0);

    private static readonly Grade Night = new(0.55, 0, 0.7, 12, -4);

    private static readonly Dictionary<string, Func<Look, string, string>> Looks = new(StringComparer.Ordinal)
    {
        // Basics
        ["open"] = (l, s) => l.Mask(s, $"lt(abs({Look.V}-0.5),0.5*{l.P})"),
        ["close"] = (l, s) => l.Mask(s, $"lt(abs({Look.U}-0.5),0.5*(1-{l.P}))"),
        ["h_blur"] = (l, s) => l.Chain(s, Filter("gblur", ("sigma", 30), ("sigmaV", 0.01))),
        ["v_blur"] = (l, s) => l.Chain(s, Filter("gblur", ("sigma", 0.01), ("sigmaV", 30))),
        ["slightshake"] = (l, s) => l.Zoom(s, "1.06", "0.5+0.015*sin(2*PI*7*T)", "0.5+0.015*cos(2*PI*5*T)"),
        ["zoominout"] = (l, s) => l.Zoom(s, $"1+0.6*sin(PI*{l.P})"),
        ["movie"] = (l, s) => l.Yuv(s, $"if(lt(abs({Look.V}-0.5),0.37),clip((lum(X,Y)-128)*1.15+128,16,235),16)",
            $"if(lt(abs({Look.V}-0.5),0.37),128+(cb(X,Y)-128)*0.75+6,128)", $"if(lt(abs({Look.V}-0.5),0.37),128+(cr(X,Y)-128)*0.75-4,128)"),
        ["zoomslight"] = (l, s) => l.Zoom(s, $"1+0.12*{l.P}"),
        ["zoom"] = (l, s) => l.Zoom(s, $"1+0.5*{l.P}"),
        ["color_difference"] = (l, s) => l.Rgb(s, $"r(X-W*0.03,Y)", "g(X,Y)", $"b(X+W*0.03,Y)"),
        ["withcircleopen"] = (l, s) => l.Mask(s, $"lt({l.R()},0.8*{l.P})"),
        ["withcircleclose"] = (l, s) => l.Mask(s, $"lt({l.R()},0.8*pow(1-{l.P},2))"),
        ["withcircleshake"] = (l, s) => l.Mask(s, $"lt(hypot(({Look.U}-0.5-0.08*sin(2*PI*3*T))*{l.A},{Look.V}-0.5-0.06*cos(2*PI*2*T)),0.35)", 0.25),
        ["withcircleflashlight"] = (l, s) => l.Mask(s, $"lt(hypot(({Look.U}-0.15-0.7*{l.P})*{l.A},{Look.V}-0.45),0.22)", 0.1),
        ["disappear"] = (l, s) => l.Yuv(s, $"if(lt({Look.U}+{l.P},1),lum(X+{l.P}*W,Y),16)",
            $"if(lt({Look.U}+{l.P},1),cb(X+{l.P}*W,Y),128)", $"if(lt({Look.U}+{l.P},1),cr(X+{l.P}*W,Y),128)"),
        ["shock"] = (l, s) => l.Chain(l.Zoom(s, "1.15+0.1*sin(2*PI*4*T)"), Filter("eq", ("contrast", 1.4), ("brightness", 0.06))),
        ["bluropen"] = (l, s) => l.Mix(s, b => l.Chain(b, Filter("gblur", ("sigma", 10))), $"1-{l.P}"),
        ["blurclose"] = (l, s) => l.Chain(l.Mix(s, b => l.Chain(b, Filter("gblur", ("sigma", 20))), l.P),
            Filter("eq", ("brightness", $"-0.35*{l.Pt}"), ("eval", "frame"))),
        ["photograph"] = (l, s) => l.Yuv(s,
            $"if(lt(min(min(X,W-1-X),min(Y,H-1-Y)),W*0.03),16,lum(X,Y)+(235-lum(X,Y))*0.7*max(0,1-abs({l.P}-0.5)*3))",
            $"128+(cb(X,Y)-128)*(1-0.7*max(0,1-abs({l.P}-0.5)*3))", $"128+(cr(X,Y)-128)*(1-0.7*max(0,1-abs({l.P}-0.5)*3))"),
        ["black"] = (l, s) => l.Yuv(s, $"16+(lum(X,Y)-16)*(1-0.8*{l.P})", $"128+(cb(X,Y)-128)*(1-0.8*{l.P})", $"128+(cr(X,Y)-128)*(1-0.8*{l.P})"),
        ["blurring"] = (l, s) => l.Chain(s, Filter("gblur", ("sigma", 6)), Filter("lutyuv", ("u", "clip((val-128)*0.4+116,16,240)"), ("v", "clip((val-128)*0.4+142,16,240)")),
            Filter("vignette", ("angle", "PI/4"))),
        ["color_to_grey"] = (l, s) => l.Chain(s, Filter("hue", ("s", $"max(0,1-2.5*{l.Pt})"))),
        ["grey_to_color"] = (l, s) => l.Chain(s, Filter("hue", ("s", $"pow({l.Pt},2)"))),
        ["slightrectshow"] = (l, s) => l.Mask(s, $"lt(max(abs({Look.U}-0.5),abs({Look.V}-0.5)),0.5*{l.P})"),
        ["slightshow"] = (l, s) => l.Yuv(s, $"16+(lum(X,Y)-16)*(0.2+0.8*pow({l.P},2))", $"128+(cb(X,Y)-128)*(0.2+0.8*pow({l.P},2))", $"128+(cr(X,Y)-128)*(0.2+0.8*pow({l.P},2))"),
        ["wipecross"] = (l, s) => l.Mask(s, $"lt(min(abs({Look.U}-0.5),abs({Look.V}-0.5)),0.5*{l.P})"),
        ["whiteshow"] = (l, s) => l.Yuv(s, $"lum(X,Y)*{l.P}+235*(1-{l.P})", $"128+(cb(X,Y)-128)*{l.P}", $"128+(cr(X,Y)-128)*{l.P}"),
        ["image_in_image"] = (l, s) => PictureInPicture(l, s),
        // Atmosphere
        ["colorfulradial"] = (l, s) => l.Light(s, $"40*gt(sin({l.Angle}*12+T*3),0.3)", 0.8, 1, $"60*cos({l.Angle}*6+T)*gt(sin({l.Angle}*12+T*3),0.3)", $"60*sin({l.Angle}*6+T)*gt(sin({l.Angle}*12+T*3),0.3)"),
        ["colorfulstarry"] = (l, s) => l.Dots(s, new Dot(0.08, 0.35, 0.18, Twinkle: 2, Colourful: true), Night),
        ["flyfire"] = (l, s) => l.Dots(s, new Dot(0.1, 0.3, 0.15, Vx: 0.03, Vy: -0.12, Twinkle: 1, Y: 220, U: 60, V: 150), new Grade(0.5, 0, 0.8, -6, 4)),
        ["heartfireworks"] = (l, s) => l.Dots(s, new Dot(0.06, 0.5, 0.35, Shape.Heart, Vy: 0.3, Radial: true, Y: 180, U: 150, V: 210), new Grade(0.7, 0, 1, 4, 10)),
        ["meteorshower"] = (l, s) => l.Dots(s, new Dot(0.15, 0.3, 0.45, Shape.Streak, Vx: -0.3, Vy: 0.6, Y: 235), new Grade(0.5, 0, 0.6, 20, -6)),
        ["moons_and_stars"] = (l, s) => l.Dots(l.Light(s, $"150*exp(-pow({l.R(0.78, 0.25)}/0.1,4))", 1, 1, "0", $"20*exp(-pow({l.R(0.78, 0.25)}/0.1,4))"),
            new Dot(0.07, 0.2, 0.2, Shape.Cross, Twinkle: 1.5, Y: 230), new Grade(0.5, 0, 0.6, 18, -6)),
        ["sparklestarfield"] = (l, s) => l.Dots(s, new Dot(0.05, 0.25, 0.3, Shape.Cross, Vy: 0.4, Radial: true, Y: 235), new Grade(0.75)),
        ["spotfall"] = (l, s) => l.Dots(s, new Dot(0.2, 0.4, 0.35, Vy: 0.15, Y: 200, U: 120, V: 150), new Grade(0.85, 0, 0.9)),
        ["starexplosion"] = (l, s) => l.Light(s, $"170*lt(abs({l.R()}-0.7*{l.P}),0.04)*gt(sin({l.Angle}*24),0.2)", 0.7, 1, "-20", "20"),
        ["starry"] = (l, s) => l.Dots(s, new Dot(0.05, 0.25, 0.15, Twinkle: 3, Y: 235), new Grade(0.85)),
        // Dynamic
        ["white"] = (l, s) => l.Yuv(s, $"lum(X,Y)+(235-lum(X,Y))*0.85*abs(sin(PI*3*{l.P}))", $"128+(cb(X,Y)-128)*(1-0.85*abs(sin(PI*3*{l.P})))", $"128+(cr(X,Y)-128)*(1-0.85*abs(sin(PI*3*{l.P})))"),
        ["minus_glitter"] = (l, s) => l.Yuv(s, "if(mod(floor(T*6+0.5),2),lum(X,Y),251-lum(X,Y))", "if(mod(floor(T*6+0.5),2),cb(X,Y),256-cb(X,Y))", "if(mod(floor(T*6+0.5),2),cr(X,Y),256-cr(X,Y))"),
        ["jitter"] = (l, s) => l.Zoom(s, "1.12", "0.5+0.04*sin(T*47)", "0.5+0.04*cos(T*61)"),
        ["soulout"] = (l, s) => l.Mix(s, b => l.Zoom(b, $"1.05+0.35*mod({l.P}*2,1)"), "0.45"),
        ["scanlight"] = (l, s) => l.Light(s, $"110*exp(-pow(({Look.V}-{l.P})*10,2))"),
        ["swing"] = (l, s) => l.Chain(s, Filter("rotate", ("a", $"0.2*sin(2*PI*1.25*{l.Pt}+0.3)"), ("fillcolor", "black"))),
        ["heartbeat"] = (l, s) => l.Light(l.Zoom(s, $"1+0.2*abs(sin(PI*2.5*{l.P}))"), "0", 1, 1, "-4", "14"),
        ["flashingscreen"] = (l, s) => l.Light(s, $"60*lt(mod({l.P}*8+0.25,1),0.5)", 1, 1.3),
        ["illusion"] = (l, s) => l.Mix(s, b => l.Chain(b, Filter("gblur", ("sigma", 8)), Filter("hue", ("h", "120*t"))), "0.5"),
        ["segmentation"] = (l, s) => l.Warp(s, Look.U, $"{Look.V}+(floor({Look.U}*3)-1)*0.3*{l.P}"),
        ["neolighting"] = (l, s) => l.Chain(s, "format=gbrp", Filter("edgedetect", ("mode", "colormix"), ("high", 0.2), ("low", 0.05)),
            "format=yuv420p", Filter("hue", ("H", "2*PI*t"), ("s", 3))),
        ["curl"] = (l, s) => l.Warp(s, $"{Look.U}+0.05*sin({Look.V}*12+T*6)", $"{Look.V}+0.03*sin({Look.U}*9+T*4)"),
        ["shine"] = (l, s) => l.Yuv(s, $"if(lt(mod({l.P}*10,1),0.6),clip(lum(X,Y)*1.35,16,235),lum(X,Y))",
            $"if(lt(mod({l.P}*10,1),0.6),clip(128+(cb(X,Y)-128)*1.5,16,240),cb(X,Y))", $"if(lt(mod({l.P}*10,1),0.6),clip(128+(cr(X,Y)-128)*1.5,16,240),cr(X,Y))"),
        ["smalljitter"] = (l, s) => l.Warp(s, $"{Look.U}+0.08*(mod(abs(sin(floor({Look.V}*16)*12.9898+floor(T*10)*78.233))*43758.5453,1)-0.5)", Look.V),
        ["flashinglight"] = (l, s) => l.Yuv(s, $"if(lt(mod({l.P}*6,1),0.5),235-(235-lum(X,Y))*0.3,16+(lum(X,Y)-16)*0.6)",
            $"if(lt(mod({l.P}*6,1),0.5),128+(cb(X,Y)-128)*0.3,cb(X,Y))", $"if(lt(mod({l.P}*6,1),0.5),128+(cr(X,Y)-128)*0.3,cr(X,Y))"),
        ["windowblur"] = (l, s) => Window(l, s),
        ["windowblur2"] = (l, s) => l.Chain(s, Filter("gblur", ("sigma", 2)), Filter("drawgrid", ("w", "iw/3"), ("h", "ih/2"), ("t", 4), ("c", "white@0.9"))),
        ["kaleidoscope"] = (l, s) => l.Warp(s,
            $"0.5+{l.R()}*cos(abs(mod({l.Angle}+T*0.5,PI/3)-PI/6))/{l.A}", $"0.5+{l.R()}*sin(abs(mod({l.Angle}+T*0.5,PI/3)-PI/6))"),
        // Light and shadow
        ["moon_projection"] = (l, s) => l.Light(s, $"130*clip(1-pow({l.R(0.35, 0.4)}/0.28,2),0,1)", 0.45, 0.8, "6", "-2"),
        ["star_projection"] = (l, s) => l.Light(s, $"150*exp(-abs({l.Dx()})*abs({l.Dy()})*400)*exp(-{l.R()}*3)", 0.45, 0.8, "-10", "10"),
        ["heart_projection"] = (l, s) => l.Light(s,
            $"120*lt(pow(pow({l.Dx()}/0.35,2)+pow(-{l.Dy()}/0.35+0.3,2)-0.5,3)-pow({l.Dx()}/0.35,2)*pow(-{l.Dy()}/0.35+0.3,3)*0.6,0)", 0.45, 0.8, "8", "30"),
        ["sunset_projection"] = (l, s) => l.Light(s, $"50*(1-{Look.V})", 0.9, 1, $"-30*(1-{Look.V})", $"40*(1-{Look.V})"),
        ["carwindow_projection"] = (l, s) => l.Mask(s, $"gt(mod({Look.U}*3+{Look.V}*0.8-T*0.8,1),0.3)", 0.35),
        ["shinningstar_light"] = (l, s) => l.Light(s,
            $"200*(exp(-abs({l.Dx(0.3)})*60)*exp(-abs({l.Dy(0.3)})*6)+exp(-abs({l.Dy(0.3)})*60)*exp(-abs({l.Dx(0.3)})*6))*(0.6+0.4*sin(T*9))"),
        ["anglelight"] = (l, s) => l.Light(s, $"100*exp(-pow(({Look.U}*{l.A}-{Look.V}*0.8-0.4)*5,2))", 0.8, 1, "-8", "8"),
        ["darknight_rainbow"] = (l, s) => l.Light(s, $"30*lt(abs({l.R(0.5, 1.2)}-0.85),0.12)", 0.5, 0.7,
            $"lt(abs({l.R(0.5, 1.2)}-0.85),0.12)*90*cos(({l.R(0.5, 1.2)}-0.73)*26)+10", $"lt(abs({l.R(0.5, 1.2)}-0.85),0.12)*90*sin(({l.R(0.5, 1.2)}-0.73)*26)"),
        ["fallingcircle"] = (l, s) => l.Dots(s, new Dot(0.25, 0.5, 0.35, Twinkle: 0.7, Y: 190, U: 135, V: 125), new Grade(0.9)),
        ["lightcenter"] = (l, s) => l.Light(s, $"120*exp(-pow({l.R()},2)*10)", 0.7),
        ["lightsweep"] = (l, s) => l.Light(s, $"120*exp(-pow(({Look.U}+{Look.V}*0.5-1.6*{l.P}+0.05)*6,2))", 1, 1, "-10", "12"),
        ["moon"] = (l, s) => l.Light(s,
            $"160*lt({l.R()},0.3)*gt(hypot(({Look.U}-0.2-0.6*{l.P})*{l.A},{Look.V}-0.45),0.28)", 0.4, 0.6, "-6", "6"),
        ["rotationspotlight"] = (l, s) => l.Mask(s, $"lt(abs(mod({l.Angle}-T*2+PI,2*PI)-PI),0.45)", 0.35),
        // Retro
        ["blackwhitetv"] = (l, s) => l.Chain(s, Filter("hue", ("s", 0)), Filter("noise", ("alls", 40), ("allf", "t"))),
        ["edgescan"] = (l, s) => l.Yuv(s, $"if(lt(abs({Look.U}-{l.P}),0.015),235,if(lt({Look.U},{l.P}),clip((lum(X,Y)-128)*1.4+128,16,235),lum(X,Y)))",
            $"if(lt({Look.U},{l.P}),128,cb(X,Y))", $"if(lt({Look.U},{l.P}),128,cr(X,Y))"),
        ["oldtv"] = (l, s) => l.Chain(l.Warp(s, Look.U, $"mod({Look.V}+0.2*T,1)"), Filter("noise", ("alls", 70), ("allf", "t"))),
        ["oldtvshine"] = (l, s) => l.Yuv(s, "lum(X,Y)*(0.85+0.15*sin(T*40))*if(lt(mod(Y,4),2),1,0.7)", "128+(cb(X,Y)-128)*0.3-12", "128+(cr(X,Y)-128)*0.3+14"),
        ["nightvision"] = (l, s) => l.Chain(l.Yuv(s, "clip(lum(X,Y)*1.3,16,235)", "80", "70"), Filter("noise", ("alls", 20), ("allf", "t")), Filter("vignette", ("angle", "PI/3"))),
        ["tvshow"] = (l, s) => l.Chain(s, Filter("scale", ("w", Even(l.W * 0.8)), ("h", Even(l.H * 0.8))),
            Filter("pad", ("w", l.W), ("h", l.H), ("x", Even(l.W * 0.1)), ("y", Even(l.H * 0.1)), ("color", "0x303030")),
            Filter("drawbox", ("x", Even(l.W * 0.1) - 4), ("y", Even(l.H * 0.1) - 4), ("w", Even(l.W * 0.8) + 8), ("h", Even(l.H * 0.8) + 8), ("color", "0xC0C0C0"), ("t", 4))),
        // Dreamy
        ["colorfulsun"] = (l, s) => l.Light(s, $"90*exp(-{l.R(0.8, 0.2)}*4)", 0.9, 1, $"70*cos({l.R(0.8, 0.2)}*30)*exp(-{l.R(0.8, 0.2)}*2)", $"70*sin({l.R(0.8, 0.2)}*30)*exp(-{l.R(0.8, 0.2)}*2)"),
        ["bigsun"] = (l, s) => l.Light(s, $"170*exp(-pow({l.R(0.85, 0.15)}/0.5,2))", 0.9, 1, $"-40*exp(-pow({l.R(0.85, 0.15)}/0.5,2))", $"35*exp(-pow({l.R(0.85, 0.15)}/0.5,2))"),
        ["fallingheart"] = (l, s) => l.Dots(s, new Dot(0.12, 0.35, 0.4, Shape.Heart, Vy: 0.2, Y: 170, U: 140, V: 200), new Grade(0.9, 10, 0.8, 6, 14)),
        ["colorfulfireworks"] = (l, s) => l.Dots(s, new Dot(0.04, 0.4, 0.3, Vy: 0.25, Radial: true, Colourful: true), new Grade(0.45, 0, 0.8)),
        ["heartshot"] = (l, s) => l.Light(s, $"90*exp(-pow({l.R()}*4,2))*(0.6+0.4*sin(T*12))", 1, 1, "8", $"40*exp(-pow({l.R()}*3,2))"),
        ["starfieldshinee"] = (l, s) => l.Dots(s, new Dot(0.09, 0.4, 0.3, Shape.Cross, Twinkle: 0.8, Y: 235, U: 120, V: 135), new Grade(0.65, 0, 0.8)),
        ["starfieldshinee2"] = (l, s) => l.Dots(s, new Dot(0.06, 0.55, 0.3, Shape.Cross, Twinkle: 6, Y: 235, U: 140, V: 120), new Grade(0.8, 10, 1.2)),
        ["fireworks"] = (l, s) => l.Light(s, $"190*lt(abs({l.R(0.5, 0.4)}-0.45*{l.P}-0.05),0.05)*gt(sin(atan2({l.Dy(0.4)},{l.Dx()})*30),0.5)", 0.45, 0.6,
            $"-40*lt(abs({l.R(0.5, 0.4)}-0.45*{l.P}-0.05),0.05)+10", $"30*lt(abs({l.R(0.5, 0.4)}-0.45*{l.P}-0.05),0.05)"),
        ["heartsurround"] = (l, s) => l.Light(s, $"140*lt(abs({l.R()}-0.38),0.05)*gt(sin({l.Angle}*10-T*4),0.4)", 0.95, 1, "8", $"70*lt(abs({l.R()}-0.38),0.05)*gt(sin({l.Angle}*10-T*4),0.4)"),
        ["risingheartbubble"] = (l, s) => l.Dots(s, new Dot(0.15, 0.45, 0.35, Shape.Ring, Vy: -0.25, Y: 220, U: 140, V: 190), new Grade(1, 0, 1, 4, 8)),
        ["starfield"] = (l, s) => l.Dots(s, new Dot(0.04, 0.5, 0.25, Vy: 0.5, Radial: true, Y: 235), new Grade(0.2, 0, 0.3)),
        ["colorfulripples"] = (l, s) => l.Light(s, $"15*sin({l.R()}*50-T*8)", 1, 1, $"50*sin({l.R()}*40-T*8)", $"50*cos({l.R()}*40-T*8)"),
        ["colorfulbubbles"] = (l, s) => l.Dots(s, new Dot(0.16, 0.5, 0.35, Shape.Ring, Vy: -0.2, Colourful: true, Y: 210), new Grade(0.9)),
        ["heartbubbleshinee"] = (l, s) => l.Dots(s, new Dot(0.11, 0.5, 0.32, Shape.Ring, Twinkle: 4, Y: 225, U: 150, V: 200), new Grade(0.7, 0, 0.9, 6, 12)),
        ["starsparkle"] = (l, s) => l.Dots(s, new Dot(0.07, 0.45, 0.35, Shape.Cross, Twinkle: 3, Y: 225, U: 70, V: 160), new Grade(0.75, 0, 1, -8, 8)),
        // Nature
        ["rainy"] = (l, s) => l.Dots(s, new Dot(0.05, 0.3, 0.45, Shape.Streak, Vx: -0.2, Vy: 1.2, Y: 200), new Grade(0.85, 0, 0.7, 10, -6)),
        ["waterripple"] = (l, s) => l.Warp(s, $"{Look.U}+0.012*sin({l.R()}*60-T*10)", $"{Look.V}+0.012*cos({l.R()}*60-T*10)"),
        ["snow"] = (l, s) => l.Dots(s, new Dot(0.07, 0.35, 0.22, Vx: 0.04, Vy: 0.18, Y: 235), new Grade(0.95, 8, 0.8, 4, -2)),
        ["foggy"] = (l, s) => l.Yuv(s, $"lum(X,Y)*0.55+0.45*(190+20*sin({Look.U}*7+T)*sin({Look.V}*5-T*0.7))", "128+(cb(X,Y)-128)*0.5", "128+(cr(X,Y)-128)*0.5"),
        ["meteor"] = (l, s) => l.Dots(s, new Dot(0.09, 0.5, 0.45, Shape.Streak, Vx: -0.3, Vy: 1.6, Y: 180), new Grade(0.55, 0, 0.6, 8, -6)),
        ["stormlaser"] = (l, s) => l.Yuv(s, $"if(lt(mod({l.P}*5,1),0.3),235-(235-lum(X,Y))*0.4,16+(lum(X,Y)-16)*0.45)", "clip(128+(cb(X,Y)-128)*0.6+25,16,240)", "128+(cr(X,Y)-128)*0.6-10"),
        ["simpleripple"] = (l, s) => l.Light(l.Warp(s, $"{Look.U}+0.02*sin({Look.V}*20+T*5)", $"{Look.V}+0.02*sin({Look.U}*16+T*4)"), "0", 1, 0.9, "14", "-10"),
        ["fadeshadow"] = (l, s) => l.Yuv(s, $"16+(lum(X,Y)-16)*(1-0.85*clip(({Look.V}-0.35+0.08*sin({Look.U}*12+T*3))*2.2,0,1))",
            $"128+(cb(X,Y)-128)*(1-0.85*clip(({Look.V}-0.35)*2.2,0,1))", $"128+(cr(X,Y)-128)*(1-0.85*clip(({Look.V}-0.35)*2.2,0,1))"),
        // Split screen
        ["marquee"] = (l, s) => l.Warp(s, $"mod({Look.U}+T*0.5,1)", Look.V),
        ["livesplit"] = (l, s) => l.Warp(s, $"mod({Look.U}*(1+floor({l.P}*4)),1)", $"mod({Look.V}*(1+floor({l.P}*4)),1)"),
        ["splitstill2"] = (l, s) => l.Warp(s, Look.U, $"mod({Look.V}*2,1)"),
        ["splitstill3"] = (l, s) => l.Warp(s, Look.U, $"mod({Look.V}*3,1)"),
        ["splitstill4"] = (l, s) => l.Warp(s, $"mod({Look.U}*2,1)", $"mod({Look.V}*2,1)"),
        ["splitstill9"] = (l, s) => l.Warp(s, $"mod({Look.U}*3,1)", $"mod({Look.V}*3,1)"),
        ["splitstill6"] = (l, s) => l.Warp(s, $"mod({Look.U}*3,1)", $"mod({Look.V}*2,1)"),
        ["blackwhitesplit"] = (l, s) => l.Yuv(s, $"lum(X,mod(Y*3,H))", $"if(eq(floor({Look.V}*3),1),cb(X,mod(Y*3,H)),128)", $"if(eq(floor({Look.V}*3),1),cr(X,mod(Y*3,H)),128)"),
        ["blurthreesplit"] = (l, s) => BlurredThirds(l, s),
        // Colour
        ["colorful"] = (l, s) => l.Chain(s, Filter("hue", ("H", "2*PI*t"), ("s", 1.7))),
        ["blackfade"] = (l, s) => l.Mask(s, $"gt({l.R()},0.8*{l.P}+0.05*sin({l.Angle}*8+T*3))"),
        ["rainbowfilter"] = (l, s) => l.Light(s, "0", 1, 0.6, $"70*cos(2*PI*{Look.U})", $"70*sin(2*PI*{Look.U})"),
        ["movingrainbow"] = (l, s) => l.Light(s, "10", 1, 0.4, $"90*cos(2*PI*({Look.V}+{Look.U}*0.5+T*0.6))", $"90*sin(2*PI*({Look.V}+{Look.U}*0.5+T*0.6))"),
        ["discolights"] = (l, s) => l.Light(s, $"120*(exp(-pow({l.R(0.3, 0.4)}*5,2))+exp(-pow({l.R(0.7, 0.6)}*5,2)))*(0.6+0.4*sin(T*10))", 0.45, 1,
            $"110*exp(-pow({l.R(0.3, 0.4)}*5,2))-90*exp(-pow({l.R(0.7, 0.6)}*5,2))", $"-60*exp(-pow({l.R(0.3, 0.4)}*5,2))+110*exp(-pow({l.R(0.7, 0.6)}*5,2))"),
        // Deform
        ["fisheye"] = (l, s) => l.Warp(s, $"0.5+({Look.U}-0.5)*pow(clip({l.R()}*2,0.001,2),0.6)", $"0.5+({Look.V}-0.5)*pow(clip({l.R()}*2,0.001,2),0.6)"),
        ["glass"] = (l, s) => l.Chain(l.Warp(s, $"{Look.U}+0.025*(mod(abs(sin(X*12.9898+Y*78.233))*43758.5453,1)-0.5)", $"{Look.V}+0.035*(mod(abs(sin(X*39.3468+Y*11.135))*24634.6345,1)-0.5)"),
            Filter("gblur", ("sigma", 1.5))),
        ["planet"] = (l, s) => l.Warp(s, $"mod(({l.Angle})/(2*PI)+1,1)", $"clip(1-{l.R()}*2,0,1)"),
    };

    private static int Even(double value) => EvenPixels.Down(value);

    /// <summary>image_in_image: the picture at 60 % in the middle of a blurred, darkened copy of itself.</summary>
    private static string PictureInPicture(Look l, string s)
    {
        var copies = l.Graph.Split(s, 2);
        var back = l.Chain(copies[0], Filter("gblur", ("sigma", 8)), Filter("eq", ("brightness", -0.12)));
        var (w, h) = (Even(l.W * 0.6), Even(l.H * 0.6));
        var front = l.Chain(copies[1], Filter("scale", ("w", w), ("h", h)));
        return l.Graph.Chain([back, front], [Filter("overlay", ("x", (l.W - w) / 2), ("y", (l.H - h) / 2))]);
    }

    /// <summary>windowblur: a sharp window in the middle of a blurred frame.</summary>
    private static string Window(Look l, string s)
    {
        var copies = l.Graph.Split(s, 2);
        var back = l.Chain(copies[0], Filter("gblur", ("sigma", 10)));
        var (w, h) = (Even(l.W * 0.5), Even(l.H * 0.5));
        var (x, y) = (Even((l.W - w) / 2.0), Even((l.H - h) / 2.0));
        var front = l.Chain(copies[1], Filter("crop", ("w", w), ("h", h), ("x", x), ("y", y)));
        return l.Graph.Chain([back, front], [Filter("overlay", ("x", x), ("y", y))]);
    }

    /// <summary>blurthreesplit: the middle third sharp, the thirds above and below blurred copies.</summary>
    private static string BlurredThirds(Look l, string s)
    {
        var copies = l.Graph.Split(s, 2);
        var back = l.Chain(copies[0], Filter("gblur", ("sigma", 8)));
        var h = Even(l.H / 3.0);
        var y = Even((l.H - h) / 2.0);
        var front = l.Chain(copies[1], Filter("scale", ("w", Even(l.W / 3.0)), ("h", h)));
        return l.Graph.Chain([back, front], [Filter("overlay", ("x", Even(l.W / 3.0)), ("y", y))]);
    }
}
