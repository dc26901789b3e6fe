# Reference values for pairedstudy's paired t, Wilcoxon signed-rank and sign tests.
#
# Run from this folder:  Rscript make_reference.R
# It writes r_reference.json, which the test suite reads (the tests need no R).
# Made with R 4.2.2 and the Debian packages r-cran-coin and r-cran-jsonlite:
#   apt-get install r-base-core r-cran-coin r-cran-jsonlite
#
# Orientation: change = post - pre everywhere. wilcox.test(post, pre, paired = TRUE) and
# coin::wilcoxsign_test(post ~ pre) both test the location of post - pre.
suppressPackageStartupMessages({
  library(coin)
  library(jsonlite)
})

set.seed(20261128)

likert <- function(n, lo, hi, shift_prob) {
  pre <- sample(lo:hi, n, replace = TRUE)
  step <- sample(c(-1, 0, 1, 2), n, replace = TRUE, prob = shift_prob)
  post <- pmin(hi, pmax(lo, pre + step))
  list(pre = pre, post = post)
}
continuous <- function(n, shift, sd = 1, r = 0.5) {
  pre <- rnorm(n, 50, 10)
  post <- pre * r + rnorm(n, 50 * (1 - r) + shift, sd * 10 * sqrt(1 - r^2))
  list(pre = round(pre, 3), post = round(post, 3))
}

datasets <- list(
  lakens_movie = list(pre = c(9, 7, 8, 9, 8, 9, 9, 10, 9, 9),
                      post = c(9, 6, 7, 8, 7, 9, 8, 8, 8, 7)),
  oxytocin_example = local({
    x <- read.csv("../../src/pairedstudy/datasets/data/oxytocin_massage_example.csv")
    list(pre = x$pre, post = x$post)
  }),
  likert_n5 = likert(5, 1, 5, c(.2, .3, .3, .2)),
  likert_n8 = likert(8, 1, 5, c(.2, .3, .3, .2)),
  likert_n10 = likert(10, 1, 7, c(.15, .25, .35, .25)),
  likert_n12 = likert(12, 1, 5, c(.3, .4, .2, .1)),
  likert_n15 = likert(15, 1, 7, c(.1, .3, .4, .2)),
  likert_n21 = likert(21, 6, 10, c(.1, .2, .4, .3)),
  likert_n30 = likert(30, 1, 5, c(.25, .3, .25, .2)),
  likert_n50 = likert(50, 1, 7, c(.2, .3, .3, .2)),
  likert_n100 = likert(100, 1, 10, c(.25, .3, .25, .2)),
  continuous_n5 = continuous(5, 3),
  continuous_n7 = continuous(7, -2),
  continuous_n10 = continuous(10, 4),
  continuous_n20 = continuous(20, 1),
  continuous_n40 = continuous(40, -1.5, r = 0.8),
  continuous_n100 = continuous(100, 0.5, r = 0.2),
  all_positive_n9 = list(pre = c(1, 2, 3, 4, 5, 6, 7, 8, 9),
                         post = c(1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5))
)

alternatives <- c("two.sided", "less", "greater")
mus <- c(0, 0.5)

num <- function(x) unname(as.numeric(x))

cases <- list()
for (name in names(datasets)) {
  pre <- datasets[[name]]$pre
  post <- datasets[[name]]$post
  d <- post - pre
  for (mu in mus) {
    dm <- d - mu
    nonzero <- dm[dm != 0]
    has_ties <- length(unique(abs(nonzero))) != length(nonzero)
    has_zeros <- any(dm == 0)
    for (alt in alternatives) {
      case <- list(dataset = name, mu = mu, alternative = alt)
      tt <- t.test(post, pre, paired = TRUE, mu = mu, alternative = alt, conf.level = 0.95)
      case$t <- list(statistic = num(tt$statistic), df = num(tt$parameter),
                     pvalue = num(tt$p.value), estimate = num(tt$estimate),
                     ci = num(tt$conf.int))
      if (length(nonzero) > 0) {
        wa <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, mu = mu, alternative = alt,
                                           exact = FALSE, correct = TRUE))
        wn <- suppressWarnings(wilcox.test(post, pre, paired = TRUE, mu = mu, alternative = alt,
                                           exact = FALSE, correct = FALSE))
        case$wilcox_asymptotic <- list(statistic = num(wa$statistic), pvalue = num(wa$p.value),
                                       pvalue_uncorrected = num(wn$p.value))
      }
      if (!has_ties && !has_zeros && length(nonzero) > 0) {
        we <- wilcox.test(post, pre, paired = TRUE, mu = mu, alternative = alt, exact = TRUE,
                          conf.int = TRUE, conf.level = 0.95)
        case$wilcox_exact <- list(statistic = num(we$statistic), pvalue = num(we$p.value),
                                  estimate = num(we$estimate), ci = num(we$conf.int),
                                  conf_level = num(attr(we$conf.int, "conf.level")))
      }
      shifted <- post - mu
      for (zm in c("Wilcoxon", "Pratt")) {
        if (zm == "Wilcoxon" && length(nonzero) == 0) next
        ct <- wilcoxsign_test(shifted ~ pre, distribution = exact(), zero.method = zm,
                              alternative = alt)
        case[[paste0("coin_exact_", tolower(zm))]] <- list(
          pvalue = num(pvalue(ct)), linear = num(statistic(ct, "linear")),
          expectation = num(expectation(ct)), variance = num(variance(ct)))
        ca <- wilcoxsign_test(shifted ~ pre, distribution = asymptotic(), zero.method = zm,
                              alternative = alt)
        case[[paste0("coin_asymptotic_", tolower(zm))]] <- list(
          pvalue = num(pvalue(ca)), standardized = num(statistic(ca, "standardized")))
      }
      if (length(nonzero) > 0) {
        bt <- binom.test(sum(dm > 0), length(nonzero), p = 0.5, alternative = alt)
        case$binom <- list(statistic = num(bt$statistic), n = num(bt$parameter),
                           pvalue = num(bt$p.value))
      }
      cases[[length(cases) + 1]] <- case
    }
  }
}

# Null distribution of the signed-rank statistic without ties (R's psignrank / qsignrank).
psignrank_table <- lapply(c(1, 5, 10, 20, 30, 50), function(n) {
  q <- 0:(n * (n + 1) / 2)
  list(n = n, cdf = psignrank(q, n))
})

out <- list(
  generated_by = "tests/reference/make_reference.R",
  r_version = R.version.string,
  coin_version = as.character(packageVersion("coin")),
  datasets = lapply(datasets, function(x) list(pre = x$pre, post = x$post)),
  cases = cases,
  psignrank = psignrank_table
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "r_reference.json")
cat("wrote", length(cases), "cases over", length(datasets), "datasets\n")
