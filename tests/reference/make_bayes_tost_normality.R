# Reference values for pairedstudy's "bayes" (JZS Bayes factor), "tost" (paired equivalence
# test) and "shapiro" (Shapiro-Wilk normality diagnostic).
#
# Run from this folder:  Rscript make_bayes_tost_normality.R
# It writes r_bayes_tost_normality.json, which tests/test_bayes_tost_normality.py reads (the tests need no R).
# Made with R 4.2.2 and the Debian packages r-cran-bayesfactor and r-cran-jsonlite.
#
# Orientation: change = post - pre everywhere.
#  - bayes: BayesFactor::ttestBF(x = change, mu = mu, rscale = r, nullInterval = ...), and
#    BayesFactor::ttest.tstat(t, n, ...) on a grid of (t, n) reaching t = 30 and n = 10^4.
#    BayesFactor returns log(BF10) and a "proportional error" estimate from R's integrate();
#    both are stored, with the method BayesFactor used ("quadrature", or its
#    "Savage-Dickey t approximation" for one-sided tests with |t| > 5).
#  - tost: the two one-sided t.test calls, t.test(change, mu = mu + low, alternative =
#    "greater") and t.test(change, mu = mu + high, alternative = "less"), and the
#    1 - 2 alpha interval t.test(change, conf.level = 1 - 2 alpha)$conf.int.
#  - shapiro: shapiro.test(change) (3 <= n <= 5000).
suppressPackageStartupMessages({
  library(BayesFactor)
  library(jsonlite)
})

set.seed(20261130)

likert <- function(n, lo, hi, shift_prob) {
  pre <- sample(lo:hi, n, replace = TRUE)
  step <- sample(c(-1, 0, 1, 2), n, replace = TRUE, prob = shift_prob)
  post <- pmin(hi, pmax(lo, pre + step))
  list(pre = pre, post = post)
}
continuous <- function(n, shift, sd_change = 5) {
  pre <- rnorm(n, 50, 10)
  post <- pre + shift + rnorm(n, 0, sd_change)
  list(pre = round(pre, 3), post = round(post, 3))
}

datasets <- list(
  lakens_movie = list(pre = c(9, 7, 8, 9, 8, 9, 9, 10, 9, 9),
                      post = c(9, 6, 7, 8, 7, 9, 8, 8, 8, 7)),
  oxytocin_example = local({
    x <- read.csv("../../src/pairedstudy/datasets/data/oxytocin_massage_example.csv")
    list(pre = x$pre, post = x$post)
  }),
  tiny_n3 = list(pre = c(10.5, 12.25, 9.75), post = c(11.5, 12.0, 11.25)),
  continuous_n5 = continuous(5, 3),
  continuous_n8_null = continuous(8, 0),
  continuous_n12_negative = continuous(12, -4),
  continuous_n20 = continuous(20, 2),
  continuous_n40_null = continuous(40, 0.2),
  continuous_n100 = continuous(100, 1),
  skewed_n30 = local({
    pre <- round(rnorm(30, 20, 3), 2)
    list(pre = pre, post = round(pre + rexp(30, 1 / 2) - 1, 2))
  }),
  large_t_n20 = continuous(20, 30, sd_change = 4.5),
  large_t_n6 = continuous(6, 25, sd_change = 5),
  likert_n50 = likert(50, 1, 7, c(.2, .3, .3, .2)),
  normal_n500 = continuous(500, 0.3),
  likert_n10000 = likert(10000, 1, 7, c(.33, .37, .2, .1)),
  likert_n10000_large_t = likert(10000, 1, 7, c(.24, .4, .2, .16))
)

num <- function(x) unname(as.numeric(x))
alternatives <- c("two.sided", "less", "greater")
interval_of <- list(two.sided = NULL, greater = c(0, Inf), less = c(-Inf, 0))
# Prior scales: BayesFactor's names (medium = sqrt(2)/2, wide = 1, ultrawide = sqrt(2)) and
# a number.
rscales <- list("medium", "wide", "ultrawide", 0.5)

bayes <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]$post - datasets[[name]]$pre
  mus <- if (name %in% c("continuous_n20", "lakens_movie", "likert_n50")) c(0, 0.5) else 0
  for (mu in mus) {
    for (rs in rscales) {
      for (alt in alternatives) {
        bf <- suppressMessages(ttestBF(x = d, mu = mu, rscale = rs,
                                       nullInterval = interval_of[[alt]]))
        one <- bf@bayesFactor[1, ]
        bayes[[length(bayes) + 1]] <- list(
          dataset = name, mu = mu, rscale = rs, alternative = alt,
          t = num((mean(d) - mu) / (sd(d) / sqrt(length(d)))), n = length(d),
          log_bf10 = num(one$bf), properror = num(one$error),
          rscale_value = num(BayesFactor:::rpriorValues("ttestOne", , rs)))
      }
    }
  }
}

# The t-statistic route over a grid, including Rouder et al.'s (2009) example t = 2.03,
# N = 80 with r = 1.
grid <- expand.grid(t = c(0, 0.5, 2, 5, 10, 15, 20, 30, -3), n = c(5, 30, 1000, 10000))
tstat <- list()
for (i in seq_len(nrow(grid))) {
  for (alt in alternatives) {
    res <- suppressMessages(ttest.tstat(grid$t[i], grid$n[i], rscale = "medium",
                                        nullInterval = interval_of[[alt]]))
    tstat[[length(tstat) + 1]] <- list(
      t = grid$t[i], n = grid$n[i], rscale = "medium", alternative = alt,
      log_bf10 = num(res$bf), properror = num(res$properror), method = res$method)
  }
}
res <- ttest.tstat(2.03, 80, rscale = 1)
tstat[[length(tstat) + 1]] <- list(t = 2.03, n = 80, rscale = 1, alternative = "two.sided",
                                   log_bf10 = num(res$bf), properror = num(res$properror),
                                   method = res$method)

# TOST: bounds on the mean change around mu; "dz" bounds are multiplied by sd(change).
tost_specs <- list(
  list(dataset = "lakens_movie", low = -0.5, high = 0.5, mu = 0, scale = "raw"),
  list(dataset = "lakens_movie", low = -1.5, high = 0.5, mu = 0, scale = "raw"),
  list(dataset = "oxytocin_example", low = -0.5, high = 0.5, mu = 0, scale = "raw"),
  list(dataset = "oxytocin_example", low = -1, high = 1, mu = 2, scale = "raw"),
  list(dataset = "continuous_n8_null", low = -5, high = 5, mu = 0, scale = "raw"),
  list(dataset = "continuous_n20", low = -3, high = 4, mu = 0, scale = "raw"),
  list(dataset = "continuous_n40_null", low = -2, high = 2, mu = 0, scale = "raw"),
  list(dataset = "continuous_n40_null", low = -0.5, high = 0.5, mu = 0, scale = "dz"),
  list(dataset = "continuous_n100", low = -0.3, high = 0.3, mu = 0.25, scale = "dz"),
  list(dataset = "continuous_n100", low = -1, high = 2, mu = 0.25, scale = "raw"),
  list(dataset = "normal_n500", low = -0.5, high = 0.5, mu = 0, scale = "raw"),
  list(dataset = "likert_n50", low = -0.4, high = 0.6, mu = 0, scale = "raw")
)
tost <- list()
for (spec in tost_specs) {
  d <- datasets[[spec$dataset]]$post - datasets[[spec$dataset]]$pre
  factor <- if (spec$scale == "dz") sd(d) else 1
  for (conf in c(0.95, 0.9)) {
    alpha <- 1 - conf
    lo <- t.test(d, mu = spec$mu + spec$low * factor, alternative = "greater")
    hi <- t.test(d, mu = spec$mu + spec$high * factor, alternative = "less")
    two <- t.test(d, conf.level = 1 - 2 * alpha)
    lo_ci <- t.test(d, alternative = "greater", conf.level = conf)
    hi_ci <- t.test(d, alternative = "less", conf.level = conf)
    tost[[length(tost) + 1]] <- c(spec, list(
      confidence_level = conf,
      t_lower = num(lo$statistic), p_lower = num(lo$p.value),
      t_upper = num(hi$statistic), p_upper = num(hi$p.value),
      df = num(lo$parameter), estimate = num(lo$estimate),
      ci_equivalence = num(two$conf.int), ci_greater = num(lo_ci$conf.int)[1],
      ci_less = num(hi_ci$conf.int)[2]))
  }
}

shapiro <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]$post - datasets[[name]]$pre
  if (length(d) < 3 || length(d) > 5000) next
  s <- shapiro.test(d)
  shapiro[[length(shapiro) + 1]] <- list(dataset = name, w = num(s$statistic),
                                         pvalue = num(s$p.value))
}

out <- list(
  generated_by = "tests/reference/make_bayes_tost_normality.R",
  r_version = R.version.string,
  bayesfactor_version = as.character(packageVersion("BayesFactor")),
  datasets = lapply(datasets, function(x) list(pre = x$pre, post = x$post)),
  bayes = bayes,
  bayes_tstat = tstat,
  tost = tost,
  shapiro = shapiro
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = FALSE), "r_bayes_tost_normality.json")
cat("wrote", length(bayes), "ttestBF,", length(tstat), "ttest.tstat,", length(tost),
    "TOST and", length(shapiro), "shapiro.test cases over", length(datasets), "datasets\n")
