package io.servletsse.benchmarks.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The results as a PNG (java.awt, headless): one horizontal bar per throughput figure, the median
 * of the per-round ratios filter / no-filter, with a whisker from the lowest to the highest round
 * and the target drawn on the bar's row.
 */
final class Chart {
    private Chart() {}

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static void draw(EndToEnd run, Path file, String environment) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Metric> rows = run.metrics.values().stream().filter(m -> !m.additive()).toList();
        List<Metric> latency = run.metrics.values().stream().filter(m -> m.group.equals("small") && m.name.endsWith("p99")).toList();
        int rowH = 26;
        int left = 250;
        int width = 1000;
        int plotW = width - left - 60;
        int top = 70;
        int ratioH = rows.size() * rowH;
        int latTop = top + ratioH + 70;
        int height = latTop + latency.size() * rowH + 60;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("servlet-sse end to end: throughput with filter / without (median of rounds, whisker = min–max)", 12, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(environment.length() > 160 ? environment.substring(0, 160) : environment, 12, 42);

        // ratio axis 0 .. 1.2
        double max = 1.2;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t <= 12; t += 2) {
            double v = t / 10.0;
            int x = left + (int) (v / max * plotW);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x, top - 6, x, top + ratioH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.1f", v), x - 8, top - 10);
        }
        int x1 = left + (int) (1.0 / max * plotW);
        g.setColor(Color.GRAY);
        g.drawLine(x1, top - 6, x1, top + ratioH);
        for (int i = 0; i < rows.size(); i++) {
            Metric m = rows.get(i);
            int y = top + i * rowH;
            double[] r = m.ratios();
            double med = Metric.median(r);
            String target = run.target(m);
            boolean missed = target.contains("missed");
            boolean hasTarget = target.contains("met") || missed;
            g.setColor(!hasTarget ? new Color(150, 150, 200) : missed ? new Color(220, 110, 90) : new Color(90, 170, 110));
            g.fillRect(left, y + 5, (int) (Math.min(med, max) / max * plotW), rowH - 10);
            g.setColor(Color.BLACK);
            int lo = left + (int) (Math.min(Metric.min(r), max) / max * plotW);
            int hi = left + (int) (Math.min(Metric.max(r), max) / max * plotW);
            g.drawLine(lo, y + rowH / 2, hi, y + rowH / 2);
            g.drawLine(lo, y + 8, lo, y + rowH - 8);
            g.drawLine(hi, y + 8, hi, y + rowH - 8);
            if (hasTarget) {
                double tv = target.startsWith("≥ 0.95") ? 0.95 : 0.90;
                int tx = left + (int) (tv / max * plotW);
                g.setColor(Color.RED);
                g.setStroke(new BasicStroke(2));
                g.drawLine(tx, y + 2, tx, y + rowH - 2);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(Color.BLACK);
            g.drawString(m.group + ": " + m.name, 12, y + rowH / 2 + 4);
            g.drawString(String.format("%.2f", med), left + plotW + 8, y + rowH / 2 + 4);
        }

        // added p99 latency (ms), axis 0 .. max(3, largest)
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("small objects: p99 latency added by the filter (ms, median and min–max of rounds; axis clipped to [-10, 50]; red = 1 ms target)", 12, latTop - 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // axis clipped to [-10, 50] ms: PUT p99 on a shared disk swings by hundreds of ms (values are printed)
        double lmax = 3;
        double lmin = -1;
        for (Metric m : latency) {
            lmax = Math.max(lmax, Math.ceil(Metric.max(m.differences())));
            lmin = Math.min(lmin, Math.floor(Metric.min(m.differences())));
        }
        lmax = Math.min(lmax, 50);
        lmin = Math.max(lmin, -10);
        double span = lmax - lmin;
        double step = span <= 10 ? 1 : span <= 25 ? 5 : 10;
        int zero = left + (int) ((0 - lmin) / span * plotW);
        for (double v = Math.ceil(lmin / step) * step; v <= lmax; v += step) {
            int x = left + (int) ((v - lmin) / span * plotW);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x, latTop - 6, x, latTop + latency.size() * rowH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.0f", v), x - 4, latTop - 10);
        }
        for (int i = 0; i < latency.size(); i++) {
            Metric m = latency.get(i);
            int y = latTop + i * rowH;
            double[] d = m.differences();
            double med = Metric.median(d);
            int xm = left + (int) ((clamp(med, lmin, lmax) - lmin) / span * plotW);
            g.setColor(med <= 1.0 ? new Color(90, 170, 110) : new Color(220, 110, 90));
            g.fillRect(Math.min(zero, xm), y + 5, Math.abs(xm - zero), rowH - 10);
            g.setColor(Color.BLACK);
            int lo = left + (int) ((clamp(Metric.min(d), lmin, lmax) - lmin) / span * plotW);
            int hi = left + (int) ((clamp(Metric.max(d), lmin, lmax) - lmin) / span * plotW);
            g.drawLine(lo, y + rowH / 2, hi, y + rowH / 2);
            g.drawLine(lo, y + 8, lo, y + rowH - 8);
            g.drawLine(hi, y + 8, hi, y + rowH - 8);
            int tx = left + (int) ((1.0 - lmin) / span * plotW);
            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(2));
            g.drawLine(tx, y + 2, tx, y + rowH - 2);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(m.name, 12, y + rowH / 2 + 4);
            g.drawString(String.format("%+.1f", med), left + plotW + 8, y + rowH / 2 + 4);
        }
        g.dispose();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
