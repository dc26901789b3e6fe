# Reference values for pairedstudy's effect sizes.
#
# Run from this folder after make_reference.R:  Rscript make_effect_sizes.R
# It reads the datasets of r_reference.json and writes r_effect_sizes.json.
# Made with R 4.2.2 and the Debian packages r-cran-effectsize (0.8.3) and r-cran-jsonlite.
#
# effectsize 0.8.3 provides cohens_d(paired = TRUE) (d_z), hedges_g(paired = TRUE) (g_z) and
# rank_biserial(paired = TRUE). It has no d_rm / d_av / d_b, so those are computed here from
# their formulas (Lakens 2013) with an independent noncentral-t inversion (uniroot on pt()).
# Orientation: change = post - pre, so x = post, y = pre.
suppressPackageStartupMessages({
  library(effectsize)
  library(jsonlite)
})

reference <- fromJSON("r_reference.json", simplifyVector = TRUE)

ncp_limits <- function(t, df, level) {
  alpha <- 1 - level
  solve <- function(p) {
    f <- function(ncp) pt(t, df, ncp) - p
    lo <- t - 5 - abs(t); hi <- t + 5 + abs(t)
    while (f(lo) < 0) lo <- lo - 10
    while (f(hi) > 0) hi <- hi + 10
    uniroot(f, c(lo, hi), tol = 1e-13)$root
  }
  c(solve(1 - alpha / 2), solve(alpha / 2))
}

num <- function(x) unname(as.numeric(x))
out <- list()
for (name in names(reference$datasets)) {
  pre <- reference$datasets[[name]]$pre
  post <- reference$datasets[[name]]$post
  d <- post - pre
  n <- length(d)
  if (sd(d) == 0 || sd(pre) == 0 || sd(post) == 0) next
  for (level in c(0.9, 0.95)) {
    cd <- cohens_d(post, pre, paired = TRUE, ci = level)
    hg <- hedges_g(post, pre, paired = TRUE, ci = level)
    case <- list(dataset = name, level = level,
                 dz = list(value = num(cd$Cohens_d), ci = c(num(cd$CI_low), num(cd$CI_high))),
                 gz = list(value = num(hg$Hedges_g), ci = c(num(hg$CI_low), num(hg$CI_high))))
    if (any(d != 0)) {
      # The one-sample form on the differences: effectsize 0.8.3's two-vector paired form
      # counts the non-zero values of x (post), not of the differences, in the Fisher-z SE,
      # so its interval is too narrow when some differences are zero.
      rb <- suppressWarnings(rank_biserial(d, ci = level))
      case$rank_biserial <- list(value = num(rb$r_rank_biserial),
                                 ci = c(num(rb$CI_low), num(rb$CI_high)))
    }
    s1 <- sd(pre); s2 <- sd(post); sdd <- sd(d); r <- cor(pre, post); m <- mean(d)
    t <- m / (sdd / sqrt(n))
    lim <- ncp_limits(t, n - 1, level)
    J <- exp(lgamma((n - 1) / 2) - lgamma((n - 2) / 2)) / sqrt((n - 1) / 2)
    std <- list(drm = sdd / sqrt(2 * (1 - r)), dav = (s1 + s2) / 2, db = s1,
                dav_rms = sqrt((s1^2 + s2^2) / 2))
    for (k in names(std)) {
      case[[k]] <- list(value = m / std[[k]], ci = lim / sqrt(n) * sdd / std[[k]])
    }
    case$hedges_j <- J
    case$ncp <- lim
    case$cles <- mean(d > 0) + mean(d == 0) / 2
    out[[length(out) + 1]] <- case
  }
}
writeLines(toJSON(list(generated_by = "tests/reference/make_effect_sizes.R",
                       effectsize_version = as.character(packageVersion("effectsize")),
                       cases = out),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "r_effect_sizes.json")
cat("wrote", length(out), "cases\n")
