# Reference values for pairedstudy.replication, computed independently in R.
#
# Run from this folder:  Rscript make_replication.R   (writes r_replication.json)
# Needs r-cran-pwr and r-cran-jsonlite. BUCSS and MBESS are not in Debian, so their
# dependent-t methods are re-implemented here from the published descriptions:
#  - BUCSS (Anderson, Kelley & Maxwell 2017; Taylor & Muller 1996): on a grid of
#    noncentralities (step 0.001, as the package), the conditional probability of a t
#    between the critical value and the observed t given significance; the grid point
#    closest to the assurance; then the smallest replication N (counting up from 2)
#    whose two-sided power reaches the target.
#  - AIPE for the standardized mean (Kelley 2007; MBESS ss.aipe.sm): the smallest N whose
#    noncentral-t confidence interval (limits by uniroot on pt) is at most the width,
#    searched by counting up.
#  - Safeguard power: uniroot limits and pwr.t.test. Small telescopes: d33 from pwr.t.test,
#    then the exact one-sided test of delta = d33 (noncentral-t null), counting up.
#  - Expected power: integrate() of the one-tail power (the original's direction) over
#    N(d, 1/n + d^2/(2n)), bisection on n.
suppressPackageStartupMessages({
  library(pwr)
  library(jsonlite)
})

ncp_limits <- function(t, df, level) {
  a <- 1 - level
  f <- function(p) uniroot(function(ncp) pt(t, df, ncp) - p,
                           c(t - 10 - abs(t), t + 10 + abs(t)), tol = 1e-12)$root
  c(f(1 - a / 2), f(a / 2))
}

two_sided_power <- function(n, ncp_per_root_n, alpha) {
  df <- n - 1
  crit <- qt(1 - alpha / 2, df)
  ncp <- ncp_per_root_n * sqrt(n)
  (1 - pt(crit, df, ncp)) + pt(-crit, df, ncp)
}

bucss <- function(t_obs, N, alpha_prior, assurance, power, alpha = 0.05, step = 0.001) {
  df <- N - 1
  crit <- qt(1 - alpha_prior / 2, df)
  grid <- seq(0, 100, by = step)
  sig <- (1 - pt(crit, df, grid)) + pt(-crit, df, grid)
  inside <- (pt(t_obs, df, grid) - pt(crit, df, grid)) +
    (pt(-crit, df, grid) - pt(-t_obs, df, grid))
  tm <- inside / sig
  gap <- abs(tm - assurance)
  lambda <- min(grid[gap == min(gap, na.rm = TRUE)], na.rm = TRUE)
  if (lambda == 0) return(list(lambda = 0, n = NULL))  # BUCSS stops: no n to plan
  n <- 2
  while (two_sided_power(n, lambda / sqrt(N), alpha) < power) n <- n + 1
  list(lambda = lambda, n = n)
}

aipe <- function(d, width, level = 0.95) {
  n <- 3
  repeat {
    lim <- ncp_limits(d * sqrt(n), n - 1, level) / sqrt(n)
    if (lim[2] - lim[1] <= width) return(n)
    n <- n + 1
  }
}

expected_power <- function(n, d, n0, alpha = 0.05) {
  # only significant results in the original's direction count (d > 0 here)
  s <- sqrt(1 / n0 + d^2 / (2 * n0))
  crit <- qt(1 - alpha / 2, n - 1)
  integrate(function(x) (1 - pt(crit, n - 1, x * sqrt(n))) * dnorm(x, d, s),
            d - 8 * s, d + 8 * s, rel.tol = 1e-8)$value
}

cases <- list()
for (case in list(c(3, 40), c(2.5, 24), c(4, 15), c(7.704727, 21), c(2.2, 60))) {
  t_obs <- case[1]; N <- case[2]
  d <- t_obs / sqrt(N)
  out <- list(t = t_obs, n = N, dz = d)
  b <- bucss(t_obs, N, 0.05, 0.8, 0.8)
  out$bucss <- list(lambda = b$lambda, n = b$n)
  b5 <- bucss(t_obs, N, 0.05, 0.5, 0.8)
  out$bucss_50 <- list(lambda = b5$lambda, n = b5$n)
  sg <- ncp_limits(t_obs, N - 1, 0.6)[1] / sqrt(N)
  out$safeguard <- list(dz = sg,
                        n = ceiling(pwr.t.test(d = sg, power = 0.8, type = "paired")$n))
  # pwr's own solve stops at ~1e-4: solve again precisely (the n can hinge on it)
  d33 <- uniroot(function(d) pwr.t.test(n = N, d = d, type = "paired")$power - 1 / 3,
                 c(1e-6, 20), tol = 1e-13)$root
  # exact one-sided test of H0: delta = d33 (noncentral null), power 0.8 at delta = 0
  n <- 3
  while (pt(qt(0.05, n - 1, ncp = d33 * sqrt(n)), n - 1) < 0.8) n <- n + 1
  out$telescopes <- list(d33 = d33, n = n)
  out$aipe <- list(width = 0.5, n = aipe(d, 0.5))
  # expected power increases with n: bisection over whole n
  lo <- 1; hi <- 2
  while (expected_power(hi, d, N) < 0.8) { lo <- hi; hi <- 2 * hi }
  while (hi - lo > 1) {
    mid <- (lo + hi) %/% 2
    if (mid >= 2 && expected_power(mid, d, N) >= 0.8) hi <- mid else lo <- mid
  }
  out$expected_power <- list(n = hi)
  cases[[length(cases) + 1]] <- out
}
writeLines(toJSON(list(generated_by = "tests/reference/make_replication.R", cases = cases),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "r_replication.json")
cat("wrote", length(cases), "cases\n")
