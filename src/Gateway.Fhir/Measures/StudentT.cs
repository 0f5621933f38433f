namespace Gateway.Fhir.Measures;

/// <summary>
/// The 95 % confidence interval of a mean, mean ± t(0.975, n−1) · sd / √n, with Student's t
/// quantile found by bisection on its distribution function, which is a regularised incomplete
/// beta function (evaluated by its continued fraction).
/// </summary>
public static class StudentT
{
    public static (double Low, double High) Interval95(double mean, double standardDeviation, long n)
    {
        var half = Quantile(0.975, n - 1) * standardDeviation / Math.Sqrt(n);
        return (mean - half, mean + half);
    }

    /// <summary>The p-quantile of Student's t with <paramref name="degreesOfFreedom"/>, for p above 0.5.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        double low = 0, high = 1000;
        for (var i = 0; i < 200; i++)
        {
            var middle = (low + high) / 2;
            if (Cdf(middle, degreesOfFreedom) < p)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>P(T ≤ t) for t ≥ 0: 1 − I_x(ν/2, 1/2) / 2 with x = ν / (ν + t²).</summary>
    public static double Cdf(double t, double degreesOfFreedom) =>
        1 - (RegularisedBeta(degreesOfFreedom / (degreesOfFreedom + (t * t)), degreesOfFreedom / 2, 0.5) / 2);

    private static double RegularisedBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp((a * Math.Log(x)) + (b * Math.Log(1 - x)) - LogBeta(a, b));
        // The continued fraction converges fast for x below (a+1)/(a+b+2); above it, use the symmetry I_x(a,b) = 1 − I_(1−x)(b,a).
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - (front * ContinuedFraction(1 - x, b, a) / b);
    }

    // Lentz's method for the incomplete beta continued fraction.
    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        var c = 1.0;
        var d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var result = d;
        for (var m = 1; m <= 300; m++)
        {
            var even = m * (b - m) * x / ((a + (2 * m) - 1) * (a + (2 * m)));
            d = 1 + (even * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (even / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            result *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + (2 * m)) * (a + (2 * m) + 1));
            d = 1 + (odd * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (odd / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            var step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < 1e-15)
            {
                break;
            }
        }

        return result;
    }

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    // Lanczos approximation (g = 7, nine coefficients), accurate to about 15 digits for positive arguments.
    private static double LogGamma(double x)
    {
        double[] coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
